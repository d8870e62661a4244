import { readFileSync } from 'node:fs';

/**
 * Reference outputs from PyTorch 2.13 CPU in ../shared/golden/torch/ (beside the checkout),
 * made by tools/torch_golden.py; manifest.json gives each case's exact Python call and seed.
 */
const dir = new URL('../../../shared/golden/torch/', import.meta.url);

export interface GoldenCase {
  readonly name: string;
  readonly seed: number;
  readonly call: string;
  readonly exact: boolean;
  readonly note: string;
  readonly outputs: readonly { tensor: string | null; shape: number[]; file: string }[];
}

export const torchManifest = JSON.parse(readFileSync(new URL('manifest.json', dir), 'utf8')) as {
  calculate_gain: Record<string, number>;
  cases: GoldenCase[];
};

/** A case by name. */
export function torchCase(name: string): GoldenCase {
  const c = torchManifest.cases.find((k) => k.name === name);
  if (!c) throw new Error(`no golden case ${name}`);
  return c;
}

/** The float32 little-endian values of a golden output file. */
export function torchValues(file: string): Float32Array {
  const bytes = readFileSync(new URL(file, dir));
  return new Float32Array(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
  );
}
