import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { formatJson } from '../../src/bench/json.js';

describe('formatJson', () => {
  const value = {
    a: 1,
    shape: [256, 128, 3, 3],
    empty: [],
    none: {},
    text: 'x',
    big: 12n,
    skip: undefined,
    rows: [{ b: null, c: [true, false] }],
    long: Array.from({ length: 40 }, (_, i) => i * 1000),
  };

  it('is the JSON of the value', () => {
    const { skip: _skip, big: _big, ...rest } = value;
    expect(JSON.parse(formatJson(value))).toEqual({ ...rest, big: '12' });
  });

  it('objects one key per line, short arrays inline, long ones one element per line', () => {
    const text = formatJson(value);
    expect(text).toContain('\n  "shape": [256, 128, 3, 3],\n');
    expect(text).toContain('\n  "empty": [],\n  "none": {},\n');
    expect(text).toContain(
      '\n  "rows": [\n    {\n      "b": null,\n      "c": [true, false]\n    }\n  ],\n',
    );
    expect(text).toContain('\n  "long": [\n    0,\n    1000,\n');
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('is left as it is by Biome', () => {
    const text = formatJson({ ...value, long: value.long.slice(0, 5) });
    const formatted = execFileSync(
      process.execPath,
      ['node_modules/@biomejs/biome/bin/biome', 'format', '--stdin-file-path=results.json'],
      { input: text, encoding: 'utf8' },
    );
    expect(formatted).toBe(text);
  });
});
