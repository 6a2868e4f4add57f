/**
 * `npm run world`: start the test world and print how to point hopwatch at it. Runs until Ctrl-C.
 */
import path from 'node:path';
import { writeReferenceSet } from '../../src/match/referenceSet.js';
import { startWorld } from './world.js';
import { buildWorldReferenceSet } from './worldReferences.js';

const world = await startWorld();
// the blocked site of the world, fingerprinted from its original pages, next to the CA file
const refsFile = path.join(path.dirname(world.caFile), 'reference-set.json');
await writeReferenceSet(refsFile, buildWorldReferenceSet());
const flags = world.cliFlags().map((f) => (/[*\s]/.test(f) ? `'${f}'` : f)).join(' ');
const lines = [
  'hopwatch test world on 127.0.0.1',
  `  http  port ${world.httpPort}, https port ${world.httpsPort}, DNS ${world.dns.host}:${world.dns.port} (udp)`,
  `  CA certificate: ${world.caFile}`,
  '',
  `  reference set of the world's blocked site: ${refsFile}`,
  '  (bin/hopwatch.js runs the build in dist/: `npm run build` first)',
  '',
  'Check one host:',
  `  node bin/hopwatch.js check mirror-two.test --refs ${refsFile} ${flags}`,
  '',
  'Scan every host:',
  `  printf '%s\\n' ${world.hosts.filter((h) => h.expected).map((h) => h.name.replace('*.', 'any.')).join(' ')} | node bin/hopwatch.js scan - --refs ${refsFile} ${flags}`,
  '',
  'These flags allow exactly the world\'s listeners; hosts that redirect or resolve to other private',
  'addresses stay blocked. (--allow-private would lift that, and some hosts resolve to 10.x / 169.254.x.)',
  '',
  'Hosts:',
  ...world.hosts.map((h) => `  ${h.name.padEnd(34)} ${h.role.padEnd(15)} ${h.expected ? `expect ${h.expected.verdict}${h.expected.errorCode ? ` (${h.expected.errorCode})` : ''}` : ''}`),
  '',
  'Ctrl-C to stop.',
];
process.stdout.write(`${lines.join('\n')}\n`);

const stop = (): void => {
  void world.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
