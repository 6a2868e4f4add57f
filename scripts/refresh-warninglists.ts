/**
 * Refresh the export guard's CDN/cloud ranges (data/warninglists/) from MISP's warninglists,
 * on a machine with network or with a checkout of the repository:
 *
 *   npx tsx scripts/refresh-warninglists.ts --from ../misp-warninglists
 *   npx tsx scripts/refresh-warninglists.ts --from https://raw.githubusercontent.com/MISP/misp-warninglists/main
 *   npx tsx scripts/refresh-warninglists.ts --from ../misp-warninglists --lists cloudflare,fastly,akamai,google-gcp,amazon-aws
 *
 * Each list is read from `<from>/lists/<name>/list.json`, checked (type cidr, every entry a
 * CIDR range, a version date), and written with its MISP fields (description, list, name, type,
 * version, matching_attributes) unchanged; SOURCES.json gets the list's version, the commit if
 * --commit says it, and today's date. Nothing is written unless every list passed.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const DATA = fileURLToPath(new URL('../data/warninglists/', import.meta.url));
/** A list larger than this is not a CDN's ranges file: refuse it rather than ship it. */
const MAX_BYTES = 16 * 1024 * 1024;

interface Sources {
  about: string;
  license: string;
  retrievedAt: string;
  lists: Array<{ file: string; misp: string; commit?: string; version: number }>;
}

interface Warninglist {
  description?: string;
  list: string[];
  matching_attributes?: string[];
  name: string;
  type: string;
  version: number;
}

async function fetchText(from: string, path: string): Promise<string> {
  if (/^https?:\/\//.test(from)) {
    const res = await fetch(`${from.replace(/\/$/, '')}/${path}`, { signal: AbortSignal.timeout(60_000) });
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
    const text = await res.text();
    if (text.length > MAX_BYTES) throw new Error(`${path}: larger than ${MAX_BYTES} bytes`);
    return text;
  }
  return readFile(join(from, path), 'utf8');
}

function isCidr(value: string): boolean {
  const [net, bits, extra] = value.split('/');
  const family = isIP(net ?? '');
  const prefix = Number(bits);
  return extra === undefined && family !== 0 && Number.isInteger(prefix) && prefix >= 0 && prefix <= (family === 4 ? 32 : 128);
}

function check(name: string, list: Warninglist): void {
  if (list.type !== 'cidr') throw new Error(`${name}: type is ${list.type}, not cidr`);
  if (!Number.isInteger(list.version) || !/^\d{8}$/.test(String(list.version))) throw new Error(`${name}: version ${list.version} is not a YYYYMMDD date`);
  if (!Array.isArray(list.list) || list.list.length === 0) throw new Error(`${name}: empty list`);
  const bad = list.list.find((c) => !isCidr(c));
  if (bad !== undefined) throw new Error(`${name}: "${bad}" is not a CIDR range`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { from: { type: 'string' }, lists: { type: 'string' }, commit: { type: 'string' } } });
  if (!values.from) throw new Error('give --from <misp-warninglists checkout or raw base URL>');
  const sources = JSON.parse(await readFile(join(DATA, 'SOURCES.json'), 'utf8')) as Sources;
  const names = values.lists ? values.lists.split(',').map((n) => n.trim()).filter(Boolean) : sources.lists.map((l) => l.misp.split('/')[1]!);
  const fetched: Array<{ name: string; list: Warninglist }> = [];
  for (const name of names) {
    if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`"${name}" is not a warninglist name`);
    const list = JSON.parse(await fetchText(values.from, `lists/${name}/list.json`)) as Warninglist;
    check(name, list);
    fetched.push({ name, list });
  }
  const today = new Date().toISOString().slice(0, 10);
  for (const { name, list } of fetched) {
    const kept = { description: list.description ?? '', list: list.list, matching_attributes: list.matching_attributes ?? [], name: list.name, type: list.type, version: list.version };
    await writeFile(join(DATA, `${name}.json`), `${JSON.stringify(kept)}\n`);
    const entry = { file: `${name}.json`, misp: `lists/${name}/list.json`, ...(values.commit ? { commit: values.commit } : {}), version: list.version };
    const at = sources.lists.findIndex((l) => l.file === entry.file);
    if (at === -1) sources.lists.push(entry);
    else sources.lists[at] = entry;
    process.stdout.write(`${name}: ${list.list.length} ranges, version ${list.version}\n`);
  }
  sources.retrievedAt = today;
  await writeFile(join(DATA, 'SOURCES.json'), `${JSON.stringify(sources, null, 2)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`refresh-warninglists: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
