/**
 * A candidate's reason as wording with one to four holes, filled only when the reason is
 * printed. A source hands the ranking a format and the parts that fill it (a site, a label,
 * a TLD, a list of used TLDs): the parts repeat across thousands of candidates, so the
 * ranking keeps each distinct part once and, per held candidate, a format index and four
 * part indices. A million reasons held as strings were 198 MB of heap; as indices they are
 * 17 MB (`npm run bench:ranking-memory`).
 *
 * A format must be a module-level function (the ranking tells formats apart by identity
 * and holds at most `MAX_REASON_FORMATS`) and pure: it only joins its parts.
 */
export type ReasonParts = [string] | [string, string] | [string, string, string] | [string, string, string, string];

export type ReasonFormat<P extends ReasonParts = ReasonParts> = (...parts: P) => string;

/** Far above the sources' handful; a format made per call would hit it at once. */
export const MAX_REASON_FORMATS = 256;
