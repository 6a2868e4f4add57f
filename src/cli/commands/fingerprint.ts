import { describeError, isHopwatchError } from '../../errors.js';
import { fingerprintPage } from '../../fingerprint/fingerprintPage.js';
import type { PageFingerprint } from '../../fingerprint/types.js';
import { OUTPUT_FLAGS, outputFlags, parseCommandArgs, usageError } from '../args.js';
import { exitCodeFor, writeLine, type Command } from '../io.js';
import { csvField, openResultSink } from '../output.js';
import { readBoundedStream, readPageFile } from '../pageFile.js';

const usage = `Usage: hopwatch fingerprint FILE...|- [--json | --csv] [-o FILE] [--content-type TYPE]

Print the fingerprint of each saved page (page kind, per-family 64-bit simhashes,
identifiers): one JSON line per file (the default, and --json), or CSV with a header
row (--csv: kind, simhashes, feature counts, identifiers as kind=value; ...). - reads
one page from stdin.

Options:
  -j, --json            JSON lines (the default)
  --csv                 CSV with a header row
  -o, --output FILE     write to FILE instead of stdout
  --silent              accepted for symmetry (nothing but results is printed)
  --content-type TYPE   treat the files as served with this Content-Type
  -h, --help            show this help

Exit codes: 3 if any file could not be read, else 0; 2 bad arguments; 70 internal error.`;

const CSV_COLUMNS = ['input', 'page_kind', 'page_kind_reason', 'title', 'simhash_structure', 'simhash_text', 'simhash_resources', 'bytes', 'sha256', 'identifiers', 'error_code'] as const;

function csvRow(input: string, fp: PageFingerprint | null, error: string | null): string {
  const values = fp
    ? [input, fp.pageKind, fp.pageKindReason, fp.title, fp.simhash.structure, fp.simhash.text, fp.simhash.resources, fp.bytes, fp.sha256, fp.identifiers.map((i) => `${i.kind}=${i.value}`).join('; '), '']
    : [input, '', '', '', '', '', '', '', '', '', error];
  return values.map(csvField).join(',');
}

export const fingerprintCommand: Command = {
  name: 'fingerprint',
  summary: 'print the fingerprint of saved pages, one JSON line each (or CSV)',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, { ...OUTPUT_FLAGS, 'content-type': { type: 'string' } });
    const choice = outputFlags(values);
    if (positionals.length === 0) throw usageError('give at least one saved page (or - for stdin)');
    if (positionals.filter((p) => p === '-').length > 1) throw usageError('- reads one page from stdin; give it once');
    const sink = await openResultSink(io, choice.output);
    let failed = false;
    try {
      if (choice.format === 'csv') writeLine(sink.stream, CSV_COLUMNS.join(','));
      for (const file of positionals) {
        try {
          const body = file === '-' ? await readBoundedStream(io.stdin as AsyncIterable<Buffer>, 'stdin') : await readPageFile(file);
          const fp = fingerprintPage({ body, ...(values['content-type'] ? { contentType: values['content-type'] } : {}) });
          writeLine(sink.stream, choice.format === 'csv' ? csvRow(file, fp, null) : JSON.stringify({ input: file, ...fp }));
        } catch (err) {
          if (!isHopwatchError(err)) throw err;
          failed = true;
          writeLine(sink.stream, choice.format === 'csv' ? csvRow(file, null, err.code) : JSON.stringify({ input: file, error: { code: err.code, message: err.message } }));
          writeLine(io.stderr, `hopwatch fingerprint: ${describeError(err)}`);
        }
      }
    } finally {
      await sink.close();
    }
    return exitCodeFor({ matched: false, failed });
  },
};
