// The embedded module bytes (src/random/wasm-modules.generated.ts) against the assembler that
// defines them (src/random/wasm-kernels.ts), and the base64 decoder they go through.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  fastModuleBytes,
  proposalModuleBytes,
  slowModuleBytes,
} from '../../src/random/wasm-kernels.js';
import { WASM_MODULES } from '../../src/random/wasm-modules.generated.js';
import { decodeBase64 } from '../../src/tensor/wasm-assembler.js';

describe('embedded sampler modules', () => {
  it.each([
    ['fast', fastModuleBytes],
    ['slow', slowModuleBytes],
    ['proposal', proposalModuleBytes],
  ] as const)('%s: the embedded bytes are what wasm-kernels.ts assembles', (name, assemble) => {
    // Stale bytes would run old kernels: regenerate with `npm run generate:wasm`.
    expect(decodeBase64(WASM_MODULES[name])).toEqual(assemble());
  });

  it('the generator agrees (its --check passes on the committed file)', () => {
    // Needs the build (`dist/`), which `npm test` makes before Vitest runs.
    const r = spawnSync(process.execPath, ['scripts/wasm-modules.mjs', '--check'], {
      cwd: new URL('../../', import.meta.url),
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

describe('decodeBase64', () => {
  it('decodes every byte value and every padding length (as Node’s Buffer does)', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    for (let n = 0; n <= 6; n++) {
      const bytes = all.subarray(250 - n);
      expect(decodeBase64(Buffer.from(bytes).toString('base64'))).toEqual(bytes);
    }
    expect(decodeBase64(Buffer.from(all).toString('base64'))).toEqual(all);
    expect(decodeBase64('')).toEqual(new Uint8Array(0));
  });

  it('rejects characters outside the alphabet', () => {
    expect(() => decodeBase64('AB-C')).toThrow('decodeBase64: `text` must be base64, got "-"');
  });
});
