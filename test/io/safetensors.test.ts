import { describe, expect, it } from 'vitest';
import {
  decodeSafetensorsHeader,
  encodeSafetensors,
  readSafetensors,
  SAFETENSORS_MAX_HEADER_BYTES,
  safetensorsChunks,
  safetensorsHeader,
} from '../../src/io/safetensors.js';
import {
  fromBFloat16Bits,
  fromFloat16Bits,
  toBFloat16Bits,
  toFloat16Bits,
} from '../../src/tensor/dtype.js';

const utf8 = (s: string) => new TextEncoder().encode(s);
const concat = (parts: ArrayLike<number>[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};
const u64 = (n: number) => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(n), true);
  return b;
};
const f32bytes = (values: number[]) => new Uint8Array(Float32Array.from(values).buffer);

/** A safetensors file built by hand: the length, the JSON (padded as given), the data. */
function file(json: string, data: ArrayLike<number> = []): Uint8Array {
  const header = utf8(json);
  return concat([u64(header.length), header, data]);
}

describe('writing: byte-exact against hand-built files', () => {
  it('one F32 tensor whose header needs no padding', () => {
    // {"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}} is 64 bytes: N = 64.
    const json = '{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}';
    expect(json.length).toBe(64);
    const expected = file(json, f32bytes([0, 1, 2, 3, 4, 5]));
    expect(expected.slice(0, 8)).toEqual(new Uint8Array([64, 0, 0, 0, 0, 0, 0, 0]));
    const ours = encodeSafetensors([
      { name: 'attn.0', tensor: { shape: [1, 2, 3], data: Float32Array.from([0, 1, 2, 3, 4, 5]) } },
    ]);
    expect(ours).toEqual(expected);
  });

  it('pads the header with spaces to a multiple of 8 (the data is 8-byte aligned)', () => {
    // 65 bytes of JSON → 7 spaces → N = 72.
    const json = '{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}';
    expect(json.length).toBe(65);
    const expected = file(`${json}       `, f32bytes([0, 1, 2, 3, 4, 5]));
    const ours = encodeSafetensors({
      attn0: { shape: [1, 1, 2, 3], data: Float32Array.from([0, 1, 2, 3, 4, 5]) },
    });
    expect(ours).toEqual(expected);
    expect(ours[0]).toBe(72);
  });

  it('writes no tensors as {} and metadata first', () => {
    expect(encodeSafetensors([])).toEqual(file('{}      '));
    expect(encodeSafetensors([], {})).toEqual(file('{}      '));
    // {"__metadata__":{"framework":"pt"}} is 35 bytes → 5 spaces → N = 40.
    expect(encodeSafetensors([], { framework: 'pt' })).toEqual(
      file('{"__metadata__":{"framework":"pt"}}     '),
    );
    const withTensor = encodeSafetensors(
      [{ name: 'b', tensor: { shape: [1], data: Float32Array.from([1]) }, dtype: 'float16' }],
      { format: 'pt', note: 'é "q"' },
    );
    const json =
      '{"__metadata__":{"format":"pt","note":"é \\"q\\""},"b":{"dtype":"F16","shape":[1],"data_offsets":[0,2]}}';
    const padded = json + ' '.repeat((8 - (utf8(json).length % 8)) % 8);
    expect(withTensor).toEqual(file(padded, [0x00, 0x3c]));
  });
});

describe('safetensorsHeader', () => {
  it('lays out tensors in the caller order before any data exists', () => {
    const layout = safetensorsHeader(
      [
        { name: 'w', dtype: 'float32', shape: [2, 3] },
        { name: 'empty', dtype: 'float64', shape: [0, 4] },
        { name: 'b', dtype: 'bfloat16', shape: [3] },
        { name: 'a', dtype: 'float64', shape: [] },
      ],
      { seed: '0' },
    );
    expect(layout.offsets).toEqual([
      [0, 24],
      [24, 24],
      [24, 30],
      [30, 38],
    ]);
    expect(layout.dataOffset).toBe(layout.header.length);
    expect(layout.header.length % 8).toBe(0);
    expect(layout.totalBytes).toBe(layout.header.length + 38);
    const json = new TextDecoder().decode(layout.header.subarray(8)).trimEnd();
    expect(JSON.parse(json)).toEqual({
      __metadata__: { seed: '0' },
      w: { dtype: 'F32', shape: [2, 3], data_offsets: [0, 24] },
      empty: { dtype: 'F64', shape: [0, 4], data_offsets: [24, 24] },
      b: { dtype: 'BF16', shape: [3], data_offsets: [24, 30] },
      a: { dtype: 'F64', shape: [], data_offsets: [30, 38] },
    });
    // The header of a file too big for memory: 2 × 10^6 × 10^5 float16 values.
    const big = safetensorsHeader([
      { name: 'huge', dtype: 'float16', shape: [1_000_000, 100_000] },
    ]);
    expect(big.totalBytes).toBe(big.header.length + 2e11);
    const info = decodeSafetensorsHeader(big.header, { fileSize: big.totalBytes });
    expect(info.tensors[0].dataOffsets).toEqual([0, 2e11]);
  });

  it('lets a writer stream the data after it: same bytes as encodeSafetensors', () => {
    const w = Float32Array.from({ length: 12 }, (_, i) => i - 5.5);
    const b = Float64Array.from([0.1, 0.2, 0.3]);
    const layout = safetensorsHeader([
      { name: 'w', dtype: 'float16', shape: [3, 4] },
      { name: 'b', dtype: 'float64', shape: [3] },
    ]);
    const out = new Uint8Array(layout.totalBytes);
    out.set(layout.header);
    const view = new DataView(out.buffer);
    w.forEach((v, i) => {
      view.setUint16(layout.dataOffset + layout.offsets[0][0] + 2 * i, toFloat16Bits(v), true);
    });
    b.forEach((v, i) => {
      view.setFloat64(layout.dataOffset + layout.offsets[1][0] + 8 * i, v, true);
    });
    const encoded = encodeSafetensors([
      { name: 'w', tensor: { shape: [3, 4], data: w }, dtype: 'float16' },
      { name: 'b', tensor: { shape: [3], data: b } },
    ]);
    expect(out).toEqual(encoded);
  });

  it.each([
    [() => safetensorsHeader({} as never), TypeError, /`entries` must be an array/],
    [
      () => safetensorsHeader([{ name: 'a', dtype: 'int8' as 'float32', shape: [1] }]),
      RangeError,
      'safetensorsHeader: `entries[0].dtype` must be one of "float32", "float64", "float16", "bfloat16", got "int8"',
    ],
    [
      () => safetensorsHeader([{ name: 'a', dtype: 'float32', shape: [1.5] }]),
      RangeError,
      /`shape` must be an array of non-negative integers/,
    ],
    [
      () => safetensorsHeader([{ name: 3 as unknown as string, dtype: 'float32', shape: [1] }]),
      TypeError,
      'safetensorsHeader: `entries[0].name` must be a string, got 3',
    ],
    [
      () => safetensorsHeader([{ name: '__metadata__', dtype: 'float32', shape: [1] }]),
      RangeError,
      /a name other than "__metadata__"/,
    ],
    [
      () =>
        safetensorsHeader([
          { name: 'a', dtype: 'float32', shape: [1] },
          { name: 'a', dtype: 'float32', shape: [2] },
        ]),
      RangeError,
      'safetensorsHeader: `entries[1].name` must be a name used once, got "a"',
    ],
    [
      () => safetensorsHeader([], { a: 1 } as never),
      TypeError,
      'safetensorsHeader: `metadata["a"]` must be a string, got 1',
    ],
    [() => safetensorsHeader([], 'pt' as never), TypeError, /`metadata` must be an object/],
    [
      () => safetensorsHeader([{ name: 'a', dtype: 'float64', shape: [2 ** 49, 8] }]),
      RangeError,
      /tensors of at most 9007199254740991 bytes in all/,
    ],
  ])('rejects bad input %#', (call, type, message) => {
    expect(call).toThrow(type);
    expect(call).toThrow(message);
  });
});

describe('round trips', () => {
  const w32 = Float32Array.from({ length: 24 }, (_, i) => Math.fround(Math.cos(i) * 3));
  const w64 = Float64Array.from({ length: 6 }, (_, i) => Math.cos(i) / 3);

  it('float32 and float64 exactly, with metadata, in the caller order', () => {
    const bytes = encodeSafetensors(
      [
        { name: 'z.weight', tensor: { shape: [2, 3, 4], data: w32 } },
        { name: 'a.bias', tensor: { shape: [6], data: w64 } },
        { name: 'scalar', tensor: { shape: [], data: Float32Array.from([7]) } },
      ],
      { format: 'pt', seed: '42' },
    );
    const { tensors, metadata, skipped } = readSafetensors(bytes);
    expect(metadata).toEqual({ format: 'pt', seed: '42' });
    expect(skipped).toEqual([]);
    expect(tensors.map((t) => [t.name, t.storage, t.tensor.dtype, t.tensor.shape])).toEqual([
      ['z.weight', 'float32', 'float32', [2, 3, 4]],
      ['a.bias', 'float64', 'float64', [6]],
      ['scalar', 'float32', 'float32', []],
    ]);
    expect(tensors[0].tensor.data).toEqual(w32);
    expect(tensors[1].tensor.data).toEqual(w64);
    expect(Array.from(tensors[2].tensor.data)).toEqual([7]);
  });

  it('float16 and bfloat16, rounded to nearest even once', () => {
    const bytes = encodeSafetensors(
      {
        h: { shape: [6], data: w64 },
        b: { shape: [6], data: w64 },
        h32: { shape: [2, 3, 4], data: w32 },
      },
      undefined,
      { dtype: 'float16' },
    );
    const bf = encodeSafetensors([
      { name: 'b', tensor: { shape: [6], data: w64 }, dtype: 'bfloat16' },
    ]);
    const [h, , h32] = readSafetensors(bytes).tensors;
    const [b] = readSafetensors(bf).tensors;
    expect(h.storage).toBe('float16');
    expect(h.tensor.dtype).toBe('float32');
    expect(Array.from(h.tensor.data)).toEqual(
      Array.from(w64, (x) => fromFloat16Bits(toFloat16Bits(x))),
    );
    expect(Array.from(h32.tensor.data)).toEqual(
      Array.from(w32, (x) => fromFloat16Bits(toFloat16Bits(x))),
    );
    expect(b.storage).toBe('bfloat16');
    expect(Array.from(b.tensor.data)).toEqual(
      Array.from(w64, (x) => fromBFloat16Bits(toBFloat16Bits(x))),
    );
    expect(decodeSafetensorsHeader(bf).tensors[0].dtype).toBe('BF16');
  });

  it('zero-size tensors', () => {
    const bytes = encodeSafetensors([
      { name: 'e1', tensor: { shape: [0], data: new Float32Array(0) } },
      { name: 'x', tensor: { shape: [2], data: Float32Array.from([1, 2]) } },
      { name: 'e2', tensor: { shape: [3, 0], data: new Float64Array(0) }, dtype: 'bfloat16' },
    ]);
    const info = decodeSafetensorsHeader(bytes);
    expect(info.tensors.map((t) => [t.name, t.dataOffsets])).toEqual([
      ['e1', [0, 0]],
      ['x', [0, 8]],
      ['e2', [8, 8]],
    ]);
    const { tensors } = readSafetensors(bytes);
    expect(tensors.map((t) => [t.name, t.tensor.shape, t.tensor.data.length])).toEqual([
      ['e1', [0], 0],
      ['x', [2], 2],
      ['e2', [3, 0], 0],
    ]);
    expect(
      readSafetensors(
        encodeSafetensors([{ name: 'only', tensor: { shape: [0, 5], data: new Float32Array(0) } }]),
      ).tensors[0].tensor.shape,
    ).toEqual([0, 5]);
  });

  it('streams the same bytes in chunks', () => {
    const data = Float64Array.from({ length: 999 }, (_, i) => i / 3);
    const tensors = [
      { name: 'a', tensor: { shape: [27, 37], data } },
      { name: 'b', tensor: { shape: [999], data }, dtype: 'bfloat16' as const },
    ];
    const chunks = [
      ...safetensorsChunks(tensors, { k: 'v' }, { chunkBytes: 100, dtype: 'float32' }),
    ];
    expect(chunks.length).toBeGreaterThan(50);
    for (const c of chunks.slice(1)) expect(c.length).toBeLessThanOrEqual(100);
    expect(concat(chunks)).toEqual(encodeSafetensors(tensors, { k: 'v' }, { dtype: 'float32' }));
  });

  it('reads tensors in file order whatever the JSON order, and ignores extra fields', () => {
    const bytes = file(
      '{"second":{"dtype":"F32","shape":[1],"data_offsets":[4,8],"extra":true},"first":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}',
      f32bytes([1, 2]),
    );
    const { tensors, metadata } = readSafetensors(bytes);
    expect(tensors.map((t) => [t.name, Array.from(t.tensor.data)])).toEqual([
      ['first', [1]],
      ['second', [2]],
    ]);
    expect(metadata).toEqual({});
  });

  it('reads the header of a file held only in part', () => {
    const bytes = encodeSafetensors({ w: { shape: [4], data: new Float32Array(4) } });
    const info = decodeSafetensorsHeader(bytes);
    const partial = decodeSafetensorsHeader(bytes.subarray(0, info.dataOffset), {
      fileSize: bytes.length,
    });
    expect(partial).toEqual(info);
    expect(info.headerLength).toBe(info.dataOffset - 8);
    expect(info.dataBytes).toBe(16);
  });
});

describe('readSafetensors: dtypes it does not decode', () => {
  // The example of the reference implementation's documentation: one I32 tensor.
  const ints = file(
    '{"test":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]}}',
    new Uint8Array(16),
  );
  const mixed = file(
    '{"position_ids":{"dtype":"I64","shape":[2],"data_offsets":[0,16]},"w":{"dtype":"F32","shape":[1],"data_offsets":[16,20]}}',
    concat([new Uint8Array(16), f32bytes([5])]),
  );

  it('validates them but refuses to decode them, unless told to skip them', () => {
    expect(decodeSafetensorsHeader(ints).tensors[0]).toEqual({
      name: 'test',
      dtype: 'I32',
      shape: [2, 2],
      dataOffsets: [0, 16],
    });
    expect(() => readSafetensors(mixed)).toThrow(
      `readSafetensors: \`bytes\` must be tensors of one of "F32", "F64", "F16", "BF16" (pass { unsupported: 'skip' } to leave the others out), got "position_ids: I64"`,
    );
    const { tensors, skipped } = readSafetensors(mixed, { unsupported: 'skip' });
    expect(skipped).toEqual(['position_ids']);
    expect(tensors.map((t) => t.name)).toEqual(['w']);
    expect(Array.from(tensors[0].tensor.data)).toEqual([5]);
  });

  it('sizes sub-byte dtypes in bits', () => {
    expect(
      decodeSafetensorsHeader(
        file('{"q":{"dtype":"F4","shape":[3,2],"data_offsets":[0,3]}}', [1, 2, 3]),
      ).dataBytes,
    ).toBe(3);
    expect(() =>
      decodeSafetensorsHeader(
        file('{"q":{"dtype":"F4","shape":[3],"data_offsets":[0,2]}}', [1, 2]),
      ),
    ).toThrow(/span the size of F4 \[3\]/);
  });

  it('rejects bad options', () => {
    expect(() => readSafetensors(ints, { unsupported: 'ignore' as 'skip' })).toThrow(
      'readSafetensors: `options.unsupported` must be one of "error", "skip", got "ignore"',
    );
    expect(() => decodeSafetensorsHeader(ints, { fileSize: 3 })).toThrow(RangeError);
  });
});

describe('damaged files', () => {
  const good = encodeSafetensors([
    { name: 'a', tensor: { shape: [2], data: Float32Array.from([1, 2]) } },
    { name: 'b', tensor: { shape: [1], data: Float32Array.from([3]) } },
  ]);
  const json = (a: string, b: string) =>
    `{"a":{"dtype":"F32","shape":[2],"data_offsets":${a}},"b":{"dtype":"F32","shape":[1],"data_offsets":${b}}}`;
  const cases: [string, () => unknown, RegExp | string][] = [
    [
      'not bytes',
      () => readSafetensors('x' as never),
      'readSafetensors: `bytes` must be a Uint8Array, got "x"',
    ],
    [
      'shorter than 8 bytes',
      () => readSafetensors(good.subarray(0, 5)),
      'readSafetensors: `bytes` must be a safetensors file of at least 8 bytes (the header length), got 5',
    ],
    [
      'header too long',
      () => readSafetensors(concat([u64(SAFETENSORS_MAX_HEADER_BYTES + 1), utf8('{}')])),
      'readSafetensors: `bytes` must be a safetensors header length of at most 100000000 bytes, got 100000001',
    ],
    [
      'header length over 2^32',
      () => readSafetensors(concat([u64(2 ** 40), utf8('{}')])),
      /at most 100000000 bytes, got 1099511627776/,
    ],
    [
      'truncated header',
      () => readSafetensors(good.subarray(0, 40)),
      /`bytes` must be at least \d+ bytes long \(8 \+ a \d+-byte header\): the file is truncated, got 40/,
    ],
    [
      'not UTF-8',
      () => readSafetensors(concat([u64(4), [0x7b, 0xff, 0xfe, 0x7d]])),
      'readSafetensors: `bytes` must be a safetensors header in UTF-8, got "invalid UTF-8"',
    ],
    [
      'not an object',
      () => readSafetensors(file('[1, 2]  ')),
      /a JSON object starting with "\{", got "\[1, 2\] {2}"/,
    ],
    [
      'not JSON',
      () => readSafetensors(file('{"a": {"dtype": "F32",')),
      /a safetensors header that is valid JSON \(.+\), got "\{\\"a\\": \{\\"dtype\\": \\"F32\\","/,
    ],
    ['padding with NULs', () => readSafetensors(file('{}\0\0\0\0\0\0')), /valid JSON/],
    [
      'metadata not strings',
      () => readSafetensors(file('{"__metadata__":{"epoch":3}}')),
      'readSafetensors: `bytes` must be a "__metadata__" whose values are strings, got "epoch: 3"',
    ],
    [
      'metadata not an object',
      () => readSafetensors(file('{"__metadata__":"pt"}')),
      /a "__metadata__" that is an object of strings/,
    ],
    [
      'tensor not an object',
      () => readSafetensors(file('{"a":[1,2]}')),
      /a tensor "a" described by \{ dtype, shape, data_offsets \}/,
    ],
    [
      'bad dtype',
      () =>
        readSafetensors(
          file('{"a":{"dtype":"F17","shape":[1],"data_offsets":[0,4]}}', [0, 0, 0, 0]),
        ),
      /a tensor "a" whose dtype is one of "BOOL", .*"F32".*, got "F17"/,
    ],
    [
      'lower-case dtype',
      () =>
        readSafetensors(
          file('{"a":{"dtype":"f32","shape":[1],"data_offsets":[0,4]}}', [0, 0, 0, 0]),
        ),
      /got "f32"/,
    ],
    [
      'negative dimension',
      () =>
        readSafetensors(
          file('{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}', [0, 0, 0, 0]),
        ),
      /whose shape is an array of non-negative integers, got \[-1\]/,
    ],
    [
      'missing shape',
      () => readSafetensors(file('{"a":{"dtype":"F32","data_offsets":[0,4]}}', [0, 0, 0, 0])),
      /whose shape is an array of non-negative integers, got undefined/,
    ],
    [
      'three offsets',
      () =>
        readSafetensors(
          file('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4,8]}}', [0, 0, 0, 0]),
        ),
      /data_offsets are two non-negative integers \[begin, end\], got \[0, 4, 8\]/,
    ],
    [
      'offsets reversed',
      () => readSafetensors(file(json('[8,0]', '[8,12]'), new Uint8Array(12))),
      /a tensor "a" whose data_offsets \[begin, end\] have begin <= end, got \[8, 0\]/,
    ],
    [
      'size does not match dtype × shape',
      () => readSafetensors(file(json('[0,4]', '[4,8]'), new Uint8Array(8))),
      'readSafetensors: `bytes` must be a tensor "a" whose data_offsets span the size of F32 [2]: 8 bytes, got "4 bytes [0, 4]"',
    ],
    [
      'offsets out of range',
      () => readSafetensors(file(json('[0,8]', '[8,12]'), new Uint8Array(10))),
      /must be a file of exactly \d+ bytes \(8 \+ a \d+-byte header \+ 12 bytes of tensors\): the file is truncated, got \d+/,
    ],
    [
      'overlap',
      () => readSafetensors(file(json('[0,8]', '[4,8]'), new Uint8Array(8))),
      'readSafetensors: `bytes` must be tensors whose data do not overlap, but "b" starts at 4, inside "a" [0, 8], got "[4, 8]"',
    ],
    [
      'same offsets twice',
      () => readSafetensors(file(json('[0,8]', '[0,4]'), new Uint8Array(8))),
      /"a" starts at 0, inside "b" \[0, 4\]/,
    ],
    [
      'gap between tensors',
      () => readSafetensors(file(json('[0,8]', '[12,16]'), new Uint8Array(16))),
      'readSafetensors: `bytes` must be contiguous tensors, but there is a gap of 4 bytes between "a" [0, 8] and "b", got "[12, 16]"',
    ],
    [
      'gap at the start',
      () => readSafetensors(file(json('[4,12]', '[12,16]'), new Uint8Array(16))),
      /a gap of 4 bytes between the start of the data and "a"/,
    ],
    [
      'bytes after the last tensor',
      () => readSafetensors(concat([good, [0]])),
      /: it has bytes after the last tensor, got \d+/,
    ],
    [
      'truncated data',
      () => readSafetensors(good.subarray(0, good.length - 1)),
      /: the file is truncated/,
    ],
  ];

  it.each(cases)('%s', (_, call, message) => {
    expect(call).toThrow(message);
    try {
      call();
    } catch (e) {
      expect(e).toBeInstanceOf(_ === 'not bytes' ? TypeError : RangeError);
    }
  });

  it('also through decodeSafetensorsHeader, naming it', () => {
    expect(() => decodeSafetensorsHeader(good.subarray(0, 3))).toThrow(
      /^decodeSafetensorsHeader: `bytes` must be/,
    );
  });
});

describe('encodeSafetensors: bad input', () => {
  const t = { shape: [2], data: new Float32Array(2) };
  it.each([
    [
      () => encodeSafetensors(null as never),
      TypeError,
      /`tensors` must be an array of \{ name, tensor, dtype\? \} or a record name → tensor/,
    ],
    [
      () => encodeSafetensors([{ name: 'a', tensor: { shape: [3], data: new Float32Array(2) } }]),
      RangeError,
      'encodeSafetensors: `tensors[0].tensor.data` must be of length 3 (the size of shape [3]), got 2',
    ],
    [
      () => encodeSafetensors({ a: { shape: [2], data: [1, 2] } as never }),
      TypeError,
      'encodeSafetensors: `tensors["a"].data` must be a Float32Array or a Float64Array, got [1, 2]',
    ],
    [
      () => encodeSafetensors([{ name: 'a', tensor: t, dtype: 'int8' as 'float32' }]),
      RangeError,
      /`tensors\[0\].dtype` must be one of/,
    ],
    [
      () =>
        encodeSafetensors([
          { name: 'a', tensor: t },
          { name: 'a', tensor: t },
        ]),
      RangeError,
      /`tensors\[1\].name` must be a name used once, got "a"/,
    ],
    [() => encodeSafetensors({ __metadata__: t }), RangeError, /a name other than "__metadata__"/],
    [
      () => encodeSafetensors([], { v: 2 } as never),
      TypeError,
      /`metadata\["v"\]` must be a string, got 2/,
    ],
    [
      () => encodeSafetensors([], undefined, { type: 'float16' } as never),
      RangeError,
      /`options` must be made of the keys "dtype", "chunkBytes", got "type"/,
    ],
  ])('%#', (call, type, message) => {
    expect(call).toThrow(type);
    expect(call).toThrow(message);
  });
});
