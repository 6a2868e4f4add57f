/**
 * The CLI from source, for tests and the bench that need a real process (a worker to SIGKILL):
 * `node --import tsx test/queue/cliProcess.ts worker ...`.
 */
import { main } from '../../src/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`cliProcess: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 70;
  },
);
