import { basename, extname } from 'node:path';
import { HopwatchError } from '../errors.js';
import { normaliseHost } from './domainName.js';
import type { HistoryEntry } from './types.js';

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const sitePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/** The site a history file stands for when its lines name none: `1337x.txt` → `1337x`. */
export function siteFromFileName(path: string): string {
  return basename(path, extname(path));
}

function isCalendarDate(text: string): boolean {
  const m = datePattern.exec(text);
  if (!m) return false;
  const [, y, mo, d] = m;
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  return date.getUTCFullYear() === Number(y) && date.getUTCMonth() === Number(mo) - 1 && date.getUTCDate() === Number(d);
}

/**
 * Parse `DATE DOMAIN [SITE]` lines (the format of a site's domain history). Blank lines
 * and `#` comments are skipped; anything else that does not parse is an error naming
 * `file:line`, because a silently dropped line would silently change every ranking.
 */
export function parseHistory(text: string, fileName: string, defaultSite = siteFromFileName(fileName)): HistoryEntry[] {
  const entries: HistoryEntry[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const origin = `${fileName}:${index + 1}`;
    const fields = line.split(/\s+/);
    const fail = (why: string): never => {
      throw new HopwatchError('DISCOVERY_BAD_HISTORY_LINE', `${origin}: ${why}: "${line.slice(0, 120)}"`, {
        details: { file: fileName, line: index + 1 },
      });
    };
    if (fields.length < 2 || fields.length > 3) fail('expected "DATE DOMAIN [SITE]"');
    const [date, domainText, siteText] = fields as [string, string, string | undefined];
    if (!isCalendarDate(date)) fail(`"${date}" is not a date (YYYY-MM-DD)`);
    const domain = normaliseHost(domainText);
    if (domain === undefined) fail(`"${domainText}" is not a host name`);
    const site = siteText ?? defaultSite;
    if (!sitePattern.test(site)) fail(`"${site}" is not a site name`);
    entries.push({ date, domain: domainText.toLowerCase().replace(/\.$/, ''), site, origin });
  });
  return entries;
}

/** Entries in date order; ties keep file order, so every ranking built on them is stable. */
export function sortByDate(entries: readonly HistoryEntry[]): HistoryEntry[] {
  return entries
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => (a.entry.date < b.entry.date ? -1 : a.entry.date > b.entry.date ? 1 : a.index - b.index))
    .map((x) => x.entry);
}

/** Days from `from` to `to` (both `YYYY-MM-DD`). Pure: no clock. */
export function daysBetween(from: string, to: string): number {
  return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
}
