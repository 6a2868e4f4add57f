/**
 * The flags every benchmark script takes: `--name N` whole numbers (each with a floor), `--json`,
 * and at most one positional argument. Unknown flags are errors: a mistyped flag must not
 * silently run the default benchmark.
 */
export interface NumericFlag<T> {
  key: keyof T;
  /** smallest accepted value (default 0) */
  min?: number;
}

export function parseBenchArgs<T extends { json: boolean }>(argv: string[], defaults: T, numeric: Record<string, NumericFlag<T>>, positional?: keyof T): T {
  const opts: T = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const flag = numeric[arg];
    if (flag) {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 0) throw new Error(`${arg} needs a non-negative integer`);
      (opts as Record<keyof T, unknown>)[flag.key] = Math.max(flag.min ?? 0, v);
    } else if (arg === '--json') {
      opts.json = true;
    } else if (!arg.startsWith('-') && positional !== undefined) {
      (opts as Record<keyof T, unknown>)[positional] = arg;
    } else {
      throw new Error(`unknown option ${arg}`);
    }
  }
  return opts;
}
