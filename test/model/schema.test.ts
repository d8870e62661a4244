/** The JSON Schema of model specs, its compiled validator, and their agreement with the library. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { STRATEGIES } from '../../src/init/registry.js';
import { ACTIVATIONS } from '../../src/recipes/activations.js';
import { LAYER_TYPES, layerKeys } from '../../src/recipes/layers.js';
import { SCHEMES } from '../../src/recipes/schemes.js';
import { STORAGE_DTYPES } from '../../src/tensor/dtype.js';

const root = new URL('../../', import.meta.url);
const schema = JSON.parse(readFileSync(new URL('schema/model.schema.json', root), 'utf8'));
const generated = readFileSync(new URL('src/model/spec-validator.generated.ts', root), 'utf8');

describe('schema/model.schema.json', () => {
  it('the committed schema and validator are what `npm run schema` makes', () => {
    const r = spawnSync(process.execPath, ['scripts/model-schema.mjs', '--check'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('the validator imports nothing (the core has no runtime dependency)', () => {
    expect(generated).not.toMatch(/\brequire\(/);
    expect(generated).not.toMatch(/^\s*import\b/m);
    expect(generated).not.toMatch(/from\s+['"]/);
  });

  it('every object rejects unknown keys', () => {
    const objects: string[] = [];
    const walk = (node: unknown, path: string) => {
      if (Array.isArray(node)) {
        node.forEach((n, i) => {
          walk(n, `${path}/${i}`);
        });
      } else if (node !== null && typeof node === 'object') {
        const n = node as Record<string, unknown>;
        if (n.type === 'object' && !path.endsWith('/properties')) {
          objects.push(path);
          // The layer def discriminates into closed branches; the others are closed themselves.
          if (n.oneOf === undefined) expect(n.additionalProperties, path).not.toBe(true);
          if (n.oneOf === undefined) expect(n.additionalProperties, path).toBeDefined();
        }
        for (const [k, v] of Object.entries(n)) walk(v, `${path}/${k}`);
      }
    };
    walk(schema, '#');
    expect(objects.length).toBeGreaterThan(20);
  });

  it('agrees with the recipes: layer types, each type’s fields, schemes', () => {
    const layer = schema.$defs.layer;
    expect(layer.properties.type.enum).toEqual([...LAYER_TYPES]);
    for (const branch of layer.oneOf) {
      const type = branch.properties.type.const;
      expect(Object.keys(branch.properties).sort(), type).toEqual([...layerKeys(type)].sort());
    }
    expect(
      layer.oneOf.map((b: { properties: { type: { const: string } } }) => b.properties.type.const),
    ).toEqual([...LAYER_TYPES]);
    expect(schema.properties.scheme.enum).toEqual([...SCHEMES]);
    expect(schema.properties.dtype.enum).toEqual([...STORAGE_DTYPES]);
    for (const a of ACTIVATIONS) expect(schema.$defs.activation['x-expected']).toContain(a);
  });

  it('overrides take exactly the strategies’ options but those the model sets', () => {
    const options = new Set(STRATEGIES.flatMap((s) => s.keys));
    for (const k of ['seed', 'stream', 'dtype', 'rng']) options.delete(k);
    const keys = Object.keys(schema.$defs.override.properties).filter((k) => k !== 'init');
    expect(keys.sort()).toEqual([...options].sort());
  });
});
