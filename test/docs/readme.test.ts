/**
 * The README's example is real: its code is examples/quickstart.mjs verbatim, and running
 * that file (against the built package, as a user would import it) prints the README's output.
 * The README's two set-up commands are those the project promises.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');

/** The fenced block right after an HTML comment marker. */
function blockAfter(marker: string): string {
  const m = new RegExp(`<!-- ${marker} -->\\n\`\`\`\\w*\\n([\\s\\S]*?)\`\`\``).exec(readme);
  if (!m) throw new Error(`README has no block after <!-- ${marker} -->`);
  return m[1];
}

describe('README', () => {
  it('shows examples/quickstart.mjs verbatim', () => {
    expect(blockAfter('quickstart:code')).toBe(
      readFileSync(new URL('examples/quickstart.mjs', root), 'utf8'),
    );
  });

  it('shows what examples/quickstart.mjs really prints', () => {
    const out = execFileSync(process.execPath, ['examples/quickstart.mjs'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(out).toBe(blockAfter('quickstart:output'));
  });

  it('holds the two set-up commands', () => {
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm test');
  });
});
