import { describe, expect, it } from 'vitest';
import { decodeNpy, decodeNpyHeader, encodeNpy, npyChunks, npyHeader } from '../../src/io/npy.js';

const b64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));
const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const concat = (parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};

/**
 * Files written by NumPy 2.4.6, base64. Each made with
 * `b = io.BytesIO(); np.save(b, a); base64.b64encode(b.getvalue())` where `a` is:
 */
const NUMPY = {
  // np.arange(6, dtype='<f4').reshape(2, 3) * 0.5
  c_f4_2x3:
    'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAAPwAAgD8AAMA/AAAAQAAAIEA=',
  // np.asfortranarray(np.arange(6, dtype='<f8').reshape(2, 3))
  fortran_f8_2x3:
    'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBUcnVlLCAnc2hhcGUnOiAoMiwgMyksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAAAAAAAAAAAAhAAAAAAAAA8D8AAAAAAAAQQAAAAAAAAABAAAAAAAAAFEA=',
  // np.asfortranarray(np.arange(24, dtype='<f4').reshape(2, 3, 4))
  fortran_f4_2x3x4:
    'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBUcnVlLCAnc2hhcGUnOiAoMiwgMywgNCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAABAQQAAgEAAAIBBAAAAQQAAoEEAAIA/AABQQQAAoEAAAIhBAAAQQQAAqEEAAABAAABgQQAAwEAAAJBBAAAgQQAAsEEAAEBAAABwQQAA4EAAAJhBAAAwQQAAuEE=',
  // np.array([1.0, -2.0, 65504.0], dtype='<f2')
  f2_3: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGYyJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAPADA/3s=',
  // np.array(3.5, dtype='<f8')
  scalar_f8:
    'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAMQA==',
  // np.zeros((0, 3), dtype='<f4')
  empty_f4_0x3:
    'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDAsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAo=',
  // np.lib.format.write_array(b, np.array([1.0, 2.0], dtype='<f4'), version=(2, 0))
  v2_f4_2:
    'k05VTVBZAgB0AAAAeydkZXNjcic6ICc8ZjQnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMiwpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAIA/AAAAQA==',
  // the same with version=(3, 0)
  v3_f4_2:
    'k05VTVBZAwB0AAAAeydkZXNjcic6ICc8ZjQnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMiwpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAIA/AAAAQA==',
  // np.zeros(2, dtype='<i4')
  i4: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGk0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAAAA==',
};

describe('npyHeader', () => {
  it('is byte-exact for shape (2, 3) <f4, worked out from the spec', () => {
    // magic \x93NUMPY, version 1.0, u16 LE header length, then the dict. NumPy appends
    // 21 − len('2') = 20 spare spaces (room for the first axis to grow), then pads with
    // spaces and a final newline so that 10 + header length is a multiple of 64:
    // dict 59 + 20 = 79 characters, + newline = 80; 10 + 80 = 90 → pad 38 → 128 in all,
    // so the length field is 118 = 0x76.
    const dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
    expect(dict.length).toBe(59);
    const expected = concat([
      new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 0x01, 0x00, 0x76, 0x00]),
      ascii(dict + ' '.repeat(58)),
      new Uint8Array([0x0a]),
    ]);
    const header = npyHeader([2, 3], 'float32');
    expect(header.length).toBe(128);
    expect(Array.from(header)).toEqual(Array.from(expected));
  });

  it('writes shape tuples as Python does: (), (5,), (2, 3, 4)', () => {
    const text = (shape: number[]) =>
      new TextDecoder().decode(npyHeader(shape, 'float64').subarray(10)).trimEnd();
    expect(text([])).toBe("{'descr': '<f8', 'fortran_order': False, 'shape': (), }");
    expect(text([5])).toBe("{'descr': '<f8', 'fortran_order': False, 'shape': (5,), }");
    expect(text([2, 3, 4])).toBe("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3, 4), }");
    expect(new TextDecoder().decode(npyHeader([2, 3], 'float16').subarray(10, 25))).toBe(
      "{'descr': '<f2'",
    );
  });

  it('always gives a multiple of 64 bytes ending in a newline', () => {
    for (let rank = 0; rank < 40; rank++) {
      const shape = Array.from({ length: rank }, (_, i) => (i * 7919) % 1000);
      const h = npyHeader(shape, 'float32');
      expect(h.length % 64).toBe(0);
      expect(h[h.length - 1]).toBe(0x0a);
      expect(h[8] | (h[9] << 8)).toBe(h.length - 10);
    }
  });

  it('switches to version 2.0 when the header needs more than 65535 bytes', () => {
    const shape = new Array(25000).fill(1); // '1, ' × 25000 > 65535 characters
    const h = npyHeader(shape, 'float32');
    expect(h[6]).toBe(2);
    const length = new DataView(h.buffer).getUint32(8, true);
    expect(length).toBe(h.length - 12);
    expect(length).toBeGreaterThan(65535);
    expect(h.length % 64).toBe(0);
    expect(decodeNpyHeader(h).shape.length).toBe(25000);
  });

  it('describes shapes too big for memory (a streaming writer needs them)', () => {
    const h = decodeNpyHeader(npyHeader([100000, 100000], 'float16'));
    expect(h.dataBytes).toBe(2e10);
  });

  it.each([
    [() => npyHeader([2, 3], 'bfloat16'), RangeError, /NumPy has no bfloat16/],
    [
      () => npyHeader([2, -1], 'float32'),
      RangeError,
      /`shape` must be an array of non-negative integers/,
    ],
    [() => npyHeader('2' as unknown as number[], 'float32'), TypeError, /`shape` must be an array/],
    [() => npyHeader([2], 'int32' as 'float32'), RangeError, /`dtype` must be one of/],
  ])('rejects bad input %#', (call, type, message) => {
    expect(call).toThrow(type);
    expect(call).toThrow(message);
  });
});

describe('encodeNpy', () => {
  it('writes what np.save writes, byte for byte', () => {
    const cases: [Uint8Array, string][] = [
      [
        encodeNpy({ shape: [2, 3], data: Float32Array.from([0, 0.5, 1, 1.5, 2, 2.5]) }),
        NUMPY.c_f4_2x3,
      ],
      [
        encodeNpy({ shape: [3], data: Float64Array.from([1, -2, 65504]) }, { dtype: 'float16' }),
        NUMPY.f2_3,
      ],
      [encodeNpy({ shape: [], data: Float64Array.from([3.5]) }), NUMPY.scalar_f8],
      [encodeNpy({ shape: [0, 3], data: new Float32Array(0) }), NUMPY.empty_f4_0x3],
    ];
    for (const [ours, numpy] of cases) expect(Buffer.from(ours).toString('base64')).toBe(numpy);
  });

  it('round-trips float32 and float64, and float16 exactly representable values', () => {
    const f32 = Float32Array.from({ length: 60 }, (_, i) => Math.fround(Math.sin(i) * 100));
    const f64 = Float64Array.from({ length: 60 }, (_, i) => Math.sin(i) * 100);
    for (const [data, dtype] of [
      [f32, 'float32'],
      [f64, 'float64'],
    ] as const) {
      const { tensor, storage, fortranOrder, version } = decodeNpy(
        encodeNpy({ shape: [3, 4, 5], data }),
      );
      expect(storage).toBe(dtype);
      expect(fortranOrder).toBe(false);
      expect(version).toBe(1);
      expect(tensor.shape).toEqual([3, 4, 5]);
      expect(tensor.dtype).toBe(dtype);
      expect(tensor.data).toEqual(data);
      expect(tensor.warnings).toEqual([]);
    }
    const widened = decodeNpy(encodeNpy({ shape: [60], data: f32 }, { dtype: 'float64' }));
    expect(widened.tensor.data).toEqual(Float64Array.from(f32));
    const halves = Float32Array.from([0, -0, 1, -2, 0.5, 65504, 2 ** -24, Infinity]);
    const h = decodeNpy(encodeNpy({ shape: [8], data: halves }, { dtype: 'float16' }));
    expect(h.storage).toBe('float16');
    expect(h.tensor.dtype).toBe('float32');
    expect(Array.from(h.tensor.data)).toEqual(Array.from(halves));
    expect(Object.is(h.tensor.data[1], -0)).toBe(true);
  });

  it('handles zero-size tensors and scalars', () => {
    for (const shape of [[0], [3, 0], [0, 0, 7]]) {
      const { tensor } = decodeNpy(encodeNpy({ shape, data: new Float32Array(0) }));
      expect(tensor.shape).toEqual(shape);
      expect(tensor.data.length).toBe(0);
    }
    const { tensor } = decodeNpy(encodeNpy({ shape: [], data: Float32Array.from([7]) }));
    expect(tensor.shape).toEqual([]);
    expect(Array.from(tensor.data)).toEqual([7]);
  });

  it('streams the same bytes in chunks', () => {
    const data = Float64Array.from({ length: 1001 }, (_, i) => i / 7);
    for (const dtype of ['float16', 'float32', 'float64'] as const) {
      const chunks = [...npyChunks({ shape: [7, 11, 13], data }, { dtype, chunkBytes: 64 })];
      expect(chunks.length).toBeGreaterThan(10);
      for (const c of chunks.slice(1)) expect(c.length).toBeLessThanOrEqual(64);
      expect(concat(chunks)).toEqual(encodeNpy({ shape: [7, 11, 13], data }, { dtype }));
    }
  });

  it.each([
    [
      () => encodeNpy({ shape: [2, 3], data: new Float32Array(5) }),
      RangeError,
      'encodeNpy: `tensor.data` must be of length 6 (the size of shape [2, 3]), got 5',
    ],
    [
      () => encodeNpy({ shape: [2], data: [1, 2] as unknown as Float32Array }),
      TypeError,
      'encodeNpy: `tensor.data` must be a Float32Array or a Float64Array, got [1, 2]',
    ],
    [
      () => encodeNpy(null as unknown as { shape: number[]; data: Float32Array }),
      TypeError,
      /`tensor` must be a tensor/,
    ],
    [
      () => encodeNpy({ shape: [2], data: new Float32Array(2) }, { dtype: 'bfloat16' }),
      RangeError,
      /NumPy has no bfloat16/,
    ],
    [
      () => encodeNpy({ shape: [2], data: new Float32Array(2) }, { dtype: 'half' as 'float16' }),
      RangeError,
      /`options.dtype` must be one of/,
    ],
    [
      () => encodeNpy({ shape: [2], data: new Float32Array(2) }, { dtyp: 'float16' } as object),
      RangeError,
      'encodeNpy: `options` must be made of the keys "dtype", "chunkBytes", got "dtyp"',
    ],
    [
      () => npyChunks({ shape: [2], data: new Float32Array(2) }, { chunkBytes: 0 }).next(),
      RangeError,
      /`options.chunkBytes` must be an integer >= 8/,
    ],
  ])('rejects bad input %#', (call, type, message) => {
    expect(call).toThrow(type);
    expect(call).toThrow(message);
  });
});

describe('decodeNpy', () => {
  it('reads files written by NumPy', () => {
    const c = decodeNpy(b64(NUMPY.c_f4_2x3));
    expect(c.tensor.shape).toEqual([2, 3]);
    expect(Array.from(c.tensor.data)).toEqual([0, 0.5, 1, 1.5, 2, 2.5]);
    const h = decodeNpy(b64(NUMPY.f2_3));
    expect(h.storage).toBe('float16');
    expect(Array.from(h.tensor.data)).toEqual([1, -2, 65504]);
    const s = decodeNpy(b64(NUMPY.scalar_f8));
    expect(s.tensor.shape).toEqual([]);
    expect(Array.from(s.tensor.data)).toEqual([3.5]);
    const e = decodeNpy(b64(NUMPY.empty_f4_0x3));
    expect(e.tensor.shape).toEqual([0, 3]);
    for (const [file, version] of [
      [NUMPY.v2_f4_2, 2],
      [NUMPY.v3_f4_2, 3],
    ] as const) {
      const v = decodeNpy(b64(file));
      expect(v.version).toBe(version);
      expect(Array.from(v.tensor.data)).toEqual([1, 2]);
    }
  });

  it('transposes Fortran-order files into C order', () => {
    const f = decodeNpy(b64(NUMPY.fortran_f8_2x3));
    expect(f.fortranOrder).toBe(true);
    expect(f.tensor.dtype).toBe('float64');
    expect(Array.from(f.tensor.data)).toEqual([0, 1, 2, 3, 4, 5]);
    const g = decodeNpy(b64(NUMPY.fortran_f4_2x3x4));
    expect(g.tensor.shape).toEqual([2, 3, 4]);
    expect(Array.from(g.tensor.data)).toEqual(Array.from({ length: 24 }, (_, i) => i));
  });

  it('reads headers in the forms older writers used', () => {
    const file = (dict: string, data: number[]) => {
      const text = `${dict}\n`;
      return concat([
        new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, text.length, 0]),
        ascii(text),
        new Uint8Array(Float32Array.from(data).buffer),
      ]);
    };
    // Python 2 longs, double quotes, other key order, no trailing comma, no padding.
    const a = decodeNpy(
      file(`{"shape": (2L, 1L), "fortran_order": False, "descr": "<f4"}`, [1, 2]),
    );
    expect(a.tensor.shape).toEqual([2, 1]);
    expect(Array.from(a.tensor.data)).toEqual([1, 2]);
  });

  const good = encodeNpy({ shape: [2, 3], data: new Float32Array(6) });
  const withHeader = (dict: string, dataBytes = 0) => {
    const text = `${dict}\n`;
    return concat([
      new Uint8Array([
        0x93,
        0x4e,
        0x55,
        0x4d,
        0x50,
        0x59,
        1,
        0,
        text.length & 0xff,
        text.length >> 8,
      ]),
      ascii(text),
      new Uint8Array(dataBytes),
    ]);
  };
  const damaged: [string, () => unknown, RegExp | string][] = [
    [
      'not bytes',
      () => decodeNpy([1, 2] as unknown as Uint8Array),
      'decodeNpy: `bytes` must be a Uint8Array, got [1, 2]',
    ],
    [
      'too short',
      () => decodeNpy(good.subarray(0, 7)),
      'decodeNpy: `bytes` must be a .npy file of at least 10 bytes (magic, version, header length), got 7',
    ],
    [
      'bad magic (a PNG)',
      () =>
        decodeNpy(
          concat([
            new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
            good.subarray(8),
          ]),
        ),
      'decodeNpy: `bytes` must be a .npy file starting with the magic string \\x93NUMPY (93 4e 55 4d 50 59), got "89 50 4e 47 0d 0a"',
    ],
    [
      'bad version',
      () => decodeNpy(concat([good.subarray(0, 6), new Uint8Array([4, 0]), good.subarray(8)])),
      'decodeNpy: `bytes` must be a .npy file of format version 1.0, 2.0 or 3.0, got "4.0"',
    ],
    [
      'truncated header',
      () => decodeNpy(good.subarray(0, 100)),
      'decodeNpy: `bytes` must be at least 128 bytes long (its header length field says 118): the file is truncated, got 100',
    ],
    [
      'header length too long',
      () =>
        decodeNpy(
          concat([good.subarray(0, 6), new Uint8Array([2, 0, 0, 0, 0, 1]), good.subarray(12)]),
        ),
      /must be a .npy header of at most 1048576 bytes, got 16777216/,
    ],
    [
      'truncated data',
      () => decodeNpy(good.subarray(0, good.length - 1)),
      'decodeNpy: `bytes` must be a .npy file of exactly 152 bytes (a 128-byte header and 24 bytes of <f4 values for shape [2, 3]): the file is truncated, got 151',
    ],
    [
      'trailing bytes',
      () => decodeNpy(concat([good, new Uint8Array(4)])),
      /exactly 152 bytes .*: it has bytes after the data, got 156/,
    ],
    [
      'not a dict',
      () => decodeNpy(withHeader('[1, 2]')),
      /a .npy header that is a Python dict literal .* \(no "\{" at character 0\), got "\[1, 2\]"/,
    ],
    [
      'unterminated dict',
      () => decodeNpy(withHeader("{'descr': '<f4'")),
      /an unexpected end at character 16\), got "\{'descr': '<f4'"$/,
    ],
    [
      'missing comma',
      () => decodeNpy(withHeader("{'descr': '<f4' 'shape': ()}")),
      /a missing "," or "}"/,
    ],
    [
      'code in the header',
      () =>
        decodeNpy(withHeader("{'descr': __import__('os'), 'fortran_order': False, 'shape': ()}")),
      /an unexpected "_" at character 10/,
    ],
    [
      'missing key',
      () => decodeNpy(withHeader("{'descr': '<f4', 'shape': (2,)}")),
      'decodeNpy: `bytes` must be a .npy header with exactly the keys "descr", "fortran_order", "shape", got ["descr", "shape"]',
    ],
    [
      'extra key',
      () => decodeNpy(withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (), 'x': 1}")),
      /exactly the keys/,
    ],
    [
      'integer descr',
      () => decodeNpy(b64(NUMPY.i4)),
      'decodeNpy: `bytes` must be a .npy array of one of "<f4", "<f8", "<f2" (little-endian float32, float64, float16), got "<i4"',
    ],
    [
      'big-endian descr',
      () => decodeNpy(withHeader("{'descr': '>f4', 'fortran_order': False, 'shape': ()}", 4)),
      /got ">f4"/,
    ],
    [
      'fortran_order not a bool',
      () => decodeNpy(withHeader("{'descr': '<f4', 'fortran_order': 0, 'shape': ()}", 4)),
      /fortran_order is True or False/,
    ],
    [
      'shape a list',
      () => decodeNpy(withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': [2]}", 8)),
      /shape is a tuple of integers/,
    ],
    [
      'shape of strings',
      () => decodeNpy(withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': ('2',)}", 8)),
      /shape is a tuple of integers/,
    ],
    [
      'shape huge',
      () =>
        decodeNpy(
          withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,)}"),
        ),
      /an integer too large/,
    ],
    [
      'too many bytes',
      () =>
        decodeNpyHeader(
          withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296)}"),
        ),
      'decodeNpyHeader: `bytes` must be a .npy shape of at most 9007199254740991 bytes of data, got [4294967296, 4294967296]',
    ],
    [
      'more elements than memory holds',
      () =>
        decodeNpy(withHeader("{'descr': '<f2', 'fortran_order': False, 'shape': (2147483648,)}")),
      /at most 2147483647 elements/,
    ],
  ];
  it.each(damaged)('rejects a damaged file: %s', (_, call, message) => {
    expect(call).toThrow(message);
    try {
      call();
    } catch (e) {
      expect(e instanceof RangeError || e instanceof TypeError).toBe(true);
    }
  });

  it('decodes the header alone from a file beginning', () => {
    const bytes = encodeNpy({ shape: [4, 5], data: new Float64Array(20) });
    const h = decodeNpyHeader(bytes.subarray(0, 128));
    expect(h).toEqual({
      version: 1,
      descr: '<f8',
      dtype: 'float64',
      fortranOrder: false,
      shape: [4, 5],
      dataOffset: 128,
      dataBytes: 160,
    });
  });
});
