/** Where the command writes: injected, so tests can capture it. */
export interface Output {
  line(text: string): void;
  json(value: unknown): void;
  error(text: string): void;
  readonly isTTY: boolean;
}

/** The process's own stdout/stderr. */
export function processOutput(): Output {
  return {
    line: (t) => process.stdout.write(`${t}\n`),
    json: (v) => process.stdout.write(`${JSON.stringify(v, bigintReplacer, 2)}\n`),
    error: (t) => process.stderr.write(`${t}\n`),
    isTTY: Boolean(process.stdout.isTTY),
  };
}

/** JSON.stringify replacer writing bigints as strings. */
export function bigintReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/** Formats a number for a summary: 4 significant digits, exponent form when tiny or huge. */
export function formatNumber(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e-3 && a < 1e6) return String(Number(x.toPrecision(4)));
  return x.toExponential(3);
}
