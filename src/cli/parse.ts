import { UsageError } from './errors.js';

/** Parses `--shape 256,128` (also `256x128`; `''` or `scalar` is the scalar shape `[]`). */
export function parseShape(text: string): number[] {
  const t = text.trim();
  if (t === '' || t === 'scalar') return [];
  const parts = t.split(/[,x×]/);
  return parts.map((p) => {
    const n = Number(p.trim());
    if (p.trim() === '' || !Number.isSafeInteger(n) || n < 0) {
      throw new UsageError(
        `--shape must be non-negative integers separated by commas (e.g. 256,128), got "${text}"`,
      );
    }
    return n;
  });
}

/** Parses a finite number given to `--flag`. */
export function parseNumber(flag: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n)) {
    throw new UsageError(`--${flag} must be a finite number, got "${text}"`);
  }
  return n;
}

/** Parses a non-negative integer given to `--flag` (seeds may exceed 2⁵³: they become bigints). */
export function parseInteger(flag: string, text: string, allowBig = false): number | bigint {
  if (!/^\d+$/.test(text.trim()))
    throw new UsageError(`--${flag} must be a non-negative integer, got "${text}"`);
  const big = BigInt(text.trim());
  if (big <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(big);
  if (allowBig) return big;
  throw new UsageError(`--${flag} must be at most ${Number.MAX_SAFE_INTEGER}, got "${text}"`);
}

/** `--fan-in` → `fanIn`. */
export function camelCase(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** `fanIn` → `--fan-in`. */
export function flagOf(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}
