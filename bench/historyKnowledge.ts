import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseHistory } from '../src/discovery/history.js';
import { learnKnowledge, type DiscoveryKnowledge } from '../src/discovery/knowledge.js';
import { fixtureHistory } from '../test/discovery/fixtures.js';

/** What the discovery benches learn from: the histories in `dir` (`*.txt`), or the test fixture's when there are none. */
export async function loadKnowledge(dir: string): Promise<{ knowledge: DiscoveryKnowledge; source: string }> {
  try {
    const files = (await readdir(dir)).filter((f) => f.endsWith('.txt')).sort();
    const entries = (await Promise.all(files.map(async (f) => parseHistory(await readFile(join(dir, f), 'utf8'), f)))).flat();
    if (entries.length) return { knowledge: learnKnowledge(entries), source: dir };
  } catch {
    // fall through to the fixture
  }
  return { knowledge: learnKnowledge(fixtureHistory()), source: 'test fixture histories (HISTORY_DIR not found)' };
}
