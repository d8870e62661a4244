/**
 * The results file's JSON, laid out as the repository's formatter (Biome) lays out JSON:
 * objects one key per line, arrays of numbers and strings on one line when they fit in 100
 * columns. A committed `bench/results.json` then passes `npm run lint` as written.
 */

const WIDTH = 100;

/** JSON text of `value` (bigints as strings), two-space indent, ending with a newline. */
export function formatJson(value: unknown): string {
  return `${layout(value, '', 0)}\n`;
}

function layout(value: unknown, indent: string, prefix: number): string {
  if (typeof value === 'bigint') return JSON.stringify(value.toString());
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const flat = value.every((v) => v === null || typeof v !== 'object');
    if (flat) {
      const line = `[${value.map((v) => layout(v, inner, 0)).join(', ')}]`;
      // `prefix`: what precedes the array on its line (indent, key, colon), and a comma after.
      if (prefix + line.length + 1 <= WIDTH) return line;
    }
    return `[\n${value.map((v) => `${inner}${layout(v, inner, inner.length)}`).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(
    ([, v]) => v !== undefined && typeof v !== 'function',
  );
  if (entries.length === 0) return '{}';
  const lines = entries.map(([k, v]) => {
    const key = `${inner}${JSON.stringify(k)}: `;
    return `${key}${layout(v, inner, key.length)}`;
  });
  return `{\n${lines.join(',\n')}\n${indent}}`;
}
