import { parseHistory } from '../../src/discovery/history.js';
import type { HistoryEntry } from '../../src/discovery/types.js';

/**
 * A made-up history with the shapes the real ones have: two sites on their own TLDs,
 * a proxy service ("hopproxy") that carries both as subdomains and hops TLD monthly,
 * and its own base-domain history as a separate file.
 */
export const files: Record<string, string> = {
  'alphaseed.txt': [
    '2021-01-10 alphaseed.to',
    '2021-03-01 alphaseed.cc',
    '2021-04-01 alphaseed.hopproxy.pro',
    '2021-05-01 alphaseed.hopproxy.one',
    '2021-06-01 alphaseed.hopproxy.win',
    '2021-06-15 alphaseed2.xyz',
  ].join('\n'),
  'betatorrent.txt': [
    '2021-02-01 www.betatorrent.io',
    '2021-04-01 betatorrent.hopproxy.pro',
    '2021-05-01 betatorrent.hopproxy.one',
    '2021-06-01 betatorrent.hopproxy.win',
  ].join('\n'),
  'hopproxy.txt': ['2021-04-01 hopproxy.pro', '2021-05-01 hopproxy.one', '2021-06-01 hopproxy.win'].join('\n'),
};

export function fixtureHistory(extra: Record<string, string> = {}): HistoryEntry[] {
  return Object.entries({ ...files, ...extra }).flatMap(([name, text]) => parseHistory(text, name));
}
