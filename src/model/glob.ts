/**
 * Parameter-name patterns of a model spec's `overrides`: a name (`head.weight`) or a glob in
 * which `*` stands for any run of characters without a dot (one path segment or part of one:
 * `*.bias`, `rnn.weight_hh_*`) and `**` for any run of characters, dots included
 * (`encoder.**.bias`, `**` alone). Every other character stands for itself.
 */

/**
 * True when `pattern` holds a `*` (a glob rather than a parameter name).
 * @example isGlob('rnn.weight_hh_*') // true
 */
export function isGlob(pattern: string): boolean {
  return pattern.includes('*');
}

/**
 * A matcher for a name or glob pattern.
 * @example globMatcher('rnn.*_l1*')('rnn.bias_ih_l1_reverse') // true
 * @example globMatcher('*.bias')('attn.out_proj.bias') // false: `*` stops at dots
 * @example globMatcher('**.bias')('attn.out_proj.bias') // true
 */
export function globMatcher(pattern: string): (name: string) => boolean {
  if (!isGlob(pattern)) return (name) => name === pattern;
  const source = pattern
    .split(/(\*\*|\*)/)
    .map((part) =>
      part === '**' ? '.*' : part === '*' ? '[^.]*' : part.replace(/[\\^$.|?+()[\]{}]/g, '\\$&'),
    )
    .join('');
  const re = new RegExp(`^${source}$`, 's');
  return (name) => re.test(name);
}
