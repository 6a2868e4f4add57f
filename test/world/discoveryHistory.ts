/**
 * The domain history of the world's blocked site ("Harbor Torrents", site id `harbor`) and of a
 * proxy service that carries it, as discovery reads it: `DATE DOMAIN SITE` lines. The names are
 * made up for the test world and sit under ICANN TLDs on purpose (discovery splits hosts with the
 * public suffix list, and `.test` is not on it); they resolve only through the world's DNS server
 * on loopback, so nothing here ever reaches beyond the machine.
 */
import { parseHistory } from '../../src/discovery/history.js';
import type { HistoryEntry } from '../../src/discovery/types.js';

export const WORLD_BRAND = 'harbortorrents';
export const WORLD_PROXY_BASE = 'unblockharbor';

export const WORLD_HISTORY_TEXT = `
2023-01-10 harbortorrents.org harbor
2023-09-01 harbortorrents.net harbor
2024-02-01 harbortorrents.cc harbor
2024-03-01 unblockharbor.xyz unblockharbor
2024-03-01 harbortorrents.unblockharbor.xyz harbor
2024-03-01 tidewater.unblockharbor.xyz tidewater
2024-06-01 unblockharbor.top unblockharbor
2024-06-01 harbortorrents.unblockharbor.top harbor
2024-06-01 tidewater.unblockharbor.top tidewater
2024-09-01 unblockharbor.click unblockharbor
2024-09-01 harbortorrents.unblockharbor.click harbor
2024-09-01 tidewater.unblockharbor.click tidewater
2023-05-01 tidewater.cc tidewater
2024-05-01 tidewater.io tidewater
`;

export function worldHistory(): HistoryEntry[] {
  return parseHistory(WORLD_HISTORY_TEXT, 'world-history.txt');
}
