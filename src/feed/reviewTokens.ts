/**
 * Bearer tokens of the review server: `name:role:token` entries from HOPWATCH_REVIEW_TOKENS.
 * A presented token is compared with every configured one, each in constant time over SHA-256
 * digests (equal lengths, so timingSafeEqual never throws and the length leaks nothing), and the
 * loop never stops early: the time taken says nothing about which token, or how much of it, matched.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { HopwatchError } from '../errors.js';
import { reviewTokensProblem } from '../config/settings.js';

export type Role = 'viewer' | 'reviewer' | 'admin';
export const ROLE_RANK: Record<Role, number> = { viewer: 1, reviewer: 2, admin: 3 };

export interface ReviewIdentity {
  reviewer: string;
  role: Role;
}

interface TokenEntry extends ReviewIdentity {
  digest: Buffer;
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

export class ReviewTokens {
  private constructor(private readonly entries: TokenEntry[]) {}

  static parse(value: string): ReviewTokens {
    const problem = reviewTokensProblem(value);
    // the message names the entry's position, never its text: it may hold a token
    if (problem) throw new HopwatchError('CONFIG_INVALID', `HOPWATCH_REVIEW_TOKENS: ${problem} is not name:role:token (role viewer, reviewer or admin; token 16+ characters)`);
    const entries = value.trim() === '' ? [] : value.split(',').map((raw) => {
      const [reviewer, role, ...rest] = raw.trim().split(':');
      return { reviewer: reviewer!, role: role as Role, digest: digest(rest.join(':')) };
    });
    const names = new Set<string>();
    for (const e of entries) {
      if (names.has(e.reviewer)) throw new HopwatchError('CONFIG_INVALID', `HOPWATCH_REVIEW_TOKENS: reviewer name "${e.reviewer}" appears twice; a decision must name one person`);
      names.add(e.reviewer);
    }
    return new ReviewTokens(entries);
  }

  get size(): number {
    return this.entries.length;
  }

  /** The identity a presented token belongs to, or null. */
  authenticate(presented: string): ReviewIdentity | null {
    const d = digest(presented);
    let found: TokenEntry | null = null;
    for (const e of this.entries) if (timingSafeEqual(e.digest, d) && found === null) found = e;
    return found ? { reviewer: found.reviewer, role: found.role } : null;
  }
}

export function hasRole(identity: ReviewIdentity | undefined, needed: Role): boolean {
  return identity !== undefined && ROLE_RANK[identity.role] >= ROLE_RANK[needed];
}
