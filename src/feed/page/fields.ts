/**
 * Reading the loosely typed parts of a match (the fetch record, the manifest) without trusting
 * their shape: a missing or odd field becomes null, never an exception or "[object Object]".
 */
export type Json = Record<string, unknown>;

export function obj(value: unknown): Json | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : null;
}

export function at(value: unknown, path: string): unknown {
  let here: unknown = value;
  for (const key of path.split('.')) {
    const o = obj(here);
    if (!o) return undefined;
    here = o[key];
  }
  return here;
}

export function text(value: unknown): string | null {
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function strings(value: unknown): string[] {
  return list(value).map(text).filter((v): v is string => v !== null);
}

/** "structure 3, text 5, resources 12 of 64 bits" from the page-similarity evidence line. */
export function simhashDistances(matched: string): Array<{ family: string; distance: number }> {
  const found: Array<{ family: string; distance: number }> = [];
  for (const m of matched.matchAll(/\b(structure|text|resources)\s+(\d{1,2})\b/g)) found.push({ family: m[1]!, distance: Number(m[2]) });
  return found;
}
