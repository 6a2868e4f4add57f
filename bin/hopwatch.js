#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm install` (the prepare script).
import { main } from '../dist/cli/main.js';

// Last resort, not the way errors are handled: every stream, socket and thread has its own error
// handling. Should something still escape, say what and exit 70 at once; a worker's jobs are then
// taken back by another worker when their locks lapse (BullMQ's stalled-job check).
for (const event of ['uncaughtException', 'unhandledRejection']) {
  process.on(event, (err) => {
    process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), pid: process.pid, level: 'fatal', msg: event, error: err instanceof Error ? err.message : String(err) })}\n`);
    process.exit(70);
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    // main() turns every expected failure into a message and an exit code; reaching here is a bug.
    process.stderr.write(`hopwatch: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 70;
  },
);
