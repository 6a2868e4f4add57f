/**
 * The corpus MANIFEST gives `saved_date` "as the source tells it". The protocol needs one calendar
 * day per page (references are a site's pages on its earliest day), so every form is reduced to a
 * UTC day here, with how precise and how sure that day is kept alongside.
 */

/** How the day was learnt: it changes how much a tie on the same day means. */
export type SavedDateKind =
  /** an HTTP `Date` response header: the exact moment the server answered */
  | 'http-date'
  /** `<= DATE`: the page existed by then (a commit date); the day is that bound */
  | 'upper-bound'
  /** `~YEAR` or `~YEAR-MM`: roughly then; the day is the first day of the period */
  | 'approximate'
  /** `date in filename`: read from the source file name (dd_mm_yyyy or dd-mm-yyyy) */
  | 'filename'
  /** `n/a` or anything unreadable: no day */
  | 'unknown';

export interface SavedDay {
  /** `YYYY-MM-DD` in UTC, or null when the manifest gives no usable date */
  day: string | null;
  precision: 'day' | 'month' | 'year' | 'none';
  kind: SavedDateKind;
  raw: string;
}

const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };

const HTTP_DATE = /^(?:mon|tue|wed|thu|fri|sat|sun),\s+(\d{1,2})\s+([a-z]{3})\s+(\d{4})\s+(\d{2}):(\d{2}):(\d{2})\s+(?:gmt|utc)\b/i;
const ISO_BOUND = /^<=\s*(\d{4})-(\d{2})-(\d{2})(?:[t ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(z|[+-]\d{2}:?\d{2})?)?/i;
const APPROXIMATE = /^~\s*(\d{4})(?:-(\d{2}))?(?!\d)/;
const FILENAME_DMY = /(?:^|[^\d])(\d{2})[_-](\d{2})[_-](\d{4})(?!\d)/;
const FILENAME_YMD = /(?:^|[^\d])(\d{4})[_-](\d{2})[_-](\d{2})(?!\d)/;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** A calendar day that really exists (no 2017-02-30), as `YYYY-MM-DD`. */
function validDay(year: number, month: number, day: number): string | null {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return null;
  if (year < 1990 || year > 2100 || month < 1 || month > 12 || day < 1) return null;
  const t = new Date(Date.UTC(year, month - 1, day));
  if (t.getUTCFullYear() !== year || t.getUTCMonth() !== month - 1 || t.getUTCDate() !== day) return null;
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

function utcDayOf(ms: number): string | null {
  if (!Number.isFinite(ms)) return null;
  const t = new Date(ms);
  return validDay(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/** `+02:00`, `-0500`, `Z` → minutes east of UTC. */
function offsetMinutes(offset: string | undefined): number {
  if (!offset || offset.toLowerCase() === 'z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(offset);
  if (!m) return 0;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -minutes : minutes;
}

function unknown(raw: string): SavedDay {
  return { day: null, precision: 'none', kind: 'unknown', raw };
}

/**
 * Reduce a MANIFEST `saved_date` to a UTC day. `sourcePath` is the page's `source_path` column,
 * needed for the `date in filename` form. Timestamps with an offset are converted to UTC so that
 * HTTP dates (always GMT) and commit dates (local time) land on comparable days.
 */
export function parseSavedDate(raw: string, sourcePath = ''): SavedDay {
  const text = raw.trim();

  const http = HTTP_DATE.exec(text);
  if (http) {
    const month = MONTHS[http[2]!.toLowerCase()];
    if (month === undefined) return unknown(raw);
    const day = validDay(Number(http[3]), month, Number(http[1]));
    if (!day) return unknown(raw);
    const ms = Date.UTC(Number(http[3]), month - 1, Number(http[1]), Number(http[4]), Number(http[5]), Number(http[6]));
    return { day: utcDayOf(ms), precision: 'day', kind: 'http-date', raw };
  }

  const bound = ISO_BOUND.exec(text);
  if (bound) {
    const [year, month, dayOfMonth] = [Number(bound[1]), Number(bound[2]), Number(bound[3])];
    const calendarDay = validDay(year, month, dayOfMonth);
    if (!calendarDay) return unknown(raw);
    if (bound[4] === undefined) return { day: calendarDay, precision: 'day', kind: 'upper-bound', raw };
    const hours = Number(bound[4]);
    const minutes = Number(bound[5]);
    const seconds = bound[6] === undefined ? 0 : Number(bound[6]);
    if (hours > 23 || minutes > 59 || seconds > 60) return unknown(raw);
    const local = Date.UTC(year, month - 1, dayOfMonth, hours, minutes, seconds);
    return { day: utcDayOf(local - offsetMinutes(bound[7]) * 60_000), precision: 'day', kind: 'upper-bound', raw };
  }

  const approx = APPROXIMATE.exec(text);
  if (approx) {
    const year = Number(approx[1]);
    if (approx[2] !== undefined) {
      const day = validDay(year, Number(approx[2]), 1);
      return day ? { day, precision: 'month', kind: 'approximate', raw } : unknown(raw);
    }
    const day = validDay(year, 1, 1);
    return day ? { day, precision: 'year', kind: 'approximate', raw } : unknown(raw);
  }

  if (/^date in filename/i.test(text)) {
    const name = sourcePath.split('/').pop() ?? '';
    const ymd = FILENAME_YMD.exec(name);
    if (ymd) {
      const day = validDay(Number(ymd[1]), Number(ymd[2]), Number(ymd[3]));
      if (day) return { day, precision: 'day', kind: 'filename', raw };
    }
    const dmy = FILENAME_DMY.exec(name);
    if (dmy) {
      const day = validDay(Number(dmy[3]), Number(dmy[2]), Number(dmy[1]));
      if (day) return { day, precision: 'day', kind: 'filename', raw };
    }
    return unknown(raw);
  }

  return unknown(raw);
}
