import { describe, expect, it } from 'vitest';
import { globMatcher, isGlob } from '../../src/model/glob.js';

describe('globMatcher', () => {
  const names = [
    'fc1.weight',
    'fc1.bias',
    'rnn.weight_hh_l0',
    'rnn.bias_ih_l1_reverse',
    'attn.in_proj_weight',
    'attn.out_proj.bias',
  ];
  const match = (p: string) => names.filter(globMatcher(p));

  it('a name matches itself only, its dots and other characters literal', () => {
    expect(isGlob('fc1.weight')).toBe(false);
    expect(match('fc1.weight')).toEqual(['fc1.weight']);
    expect(globMatcher('fc1.weight')('fc1xweight')).toBe(false);
    expect(globMatcher('a+b')('a+b')).toBe(true);
  });

  it('`*` stays within a segment, `**` crosses dots', () => {
    expect(match('*.bias')).toEqual(['fc1.bias']);
    expect(match('**.bias')).toEqual(['fc1.bias', 'attn.out_proj.bias']);
    expect(match('rnn.*_l1*')).toEqual(['rnn.bias_ih_l1_reverse']);
    expect(match('**')).toEqual(names);
    expect(match('attn.**')).toEqual(['attn.in_proj_weight', 'attn.out_proj.bias']);
    expect(match('*')).toEqual([]);
  });
});
