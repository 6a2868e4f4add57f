import { describeError, isHopwatchError } from '../../errors.js';
import { fingerprintPage } from '../../fingerprint/fingerprintPage.js';
import { parseCommandArgs, usageError } from '../args.js';
import { ExitCode, writeLine, type Command } from '../io.js';
import { readPageFile } from '../pageFile.js';

const usage = `Usage: hopwatch fingerprint FILE... [--json]

Print the fingerprint of each saved page (page kind, per-family 64-bit simhashes,
identifiers), one JSON line per file. --json is accepted for symmetry: the output
is always JSON lines.

Options:
  --content-type TYPE   treat the files as served with this Content-Type
  -h, --help            show this help`;

export const fingerprintCommand: Command = {
  name: 'fingerprint',
  summary: 'print the fingerprint of saved pages, one JSON line each',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, { json: { type: 'boolean' }, 'content-type': { type: 'string' } });
    if (positionals.length === 0) throw usageError('give at least one saved page');
    let failed = false;
    for (const file of positionals) {
      try {
        const body = await readPageFile(file);
        const fp = fingerprintPage({ body, ...(values['content-type'] ? { contentType: values['content-type'] } : {}) });
        writeLine(io.stdout, JSON.stringify({ input: file, ...fp }));
      } catch (err) {
        if (!isHopwatchError(err)) throw err;
        failed = true;
        writeLine(io.stdout, JSON.stringify({ input: file, error: { code: err.code, message: err.message } }));
        writeLine(io.stderr, `hopwatch fingerprint: ${describeError(err)}`);
      }
    }
    return failed ? ExitCode.inputError : ExitCode.ok;
  },
};
