/** Every command of the CLI's table is documented in docs/cli.md and in the README's table. */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

describe('command documentation', () => {
  it('docs/cli.md and the README name every command of src/cli/main.ts', async () => {
    const main = await readFile('src/cli/main.ts', 'utf8');
    const names = [...main.matchAll(/^ {2}([a-z]+): \{ summary:/gm)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThan(10);
    const cli = await readFile('docs/cli.md', 'utf8');
    const readme = await readFile('README.md', 'utf8');
    const table = readme.slice(readme.indexOf('| command | what it does |'), readme.indexOf('docs/cli.md'));
    expect(names.filter((n) => !cli.includes(`\`${n}`) && !cli.includes(` ${n}\``))).toEqual([]);
    expect(names.filter((n) => !table.includes(`hopwatch ${n}`) && !table.includes(`\`${n}\``))).toEqual([]);
  });
});
