/**
 * `npm run review:world`: the review page against the local world, until Ctrl-C. Starts the
 * world, a worker that records the world's matches, and the review server (the same
 * `buildServer` that `hopwatch serve` runs) on 127.0.0.1 (port: --port N, default 8080), then
 * prints the URL and the two tokens to sign in with. Needs Redis on REDIS_URL (default
 * 127.0.0.1:6379); uses a random key prefix and deletes its keys when stopped.
 */
import { PAGE_TOKENS, REVIEWER_NAME } from '../test/page/pageReviewWorld.js';
import { startReviewDemo } from '../test/page/reviewDemo.js';

const portFlag = process.argv.indexOf('--port');
const port = portFlag === -1 ? 8080 : Number(process.argv[portFlag + 1]);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write('review:world: --port takes a port number (0 = any free port)\n');
  process.exit(2);
}
const demo = await startReviewDemo({ port, log: (line) => process.stderr.write(`review:world: ${line}\n`) });
process.stdout.write([
  `review page: ${demo.review.base}/`,
  `  sign in as ${REVIEWER_NAME} (reviewer): ${PAGE_TOKENS.reviewer}`,
  `  or as analyst.viewer (viewer, can look, not decide): ${PAGE_TOKENS.viewer}`,
  'Ctrl-C to stop (the keys it wrote are deleted).',
  '',
].join('\n'));
const stop = (): void => {
  void demo.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
