/**
 * The `weightinit` command as a bundle (`dist/bin/`), built from tsc's output by `npm run build`.
 *
 * Why: `weightinit sample he-normal --shape 256,256` should finish in 0.3 s (issue 7), and
 * Node's ES module loader spends about a millisecond per module resolving, reading and linking
 * it: the ~55 modules of `sample` (ours and commander's) cost 50–70 ms of it, one bundled chunk
 * a few. Each command stays its own chunk, loaded only when it runs (src/cli/main.ts).
 *
 * What stays outside: every package but commander (TensorFlow.js is an optional peer and heavy;
 * the report's libraries load from node_modules as before), and Node's built-in modules.
 * `bin/weightinit.js` is the only importer of this bundle; the library (`weightinit`,
 * `weightinit/node`, …) is tsc's `dist/` itself. The chunks sit two levels below the package
 * root, as tsc's modules do, so paths relative to `import.meta.url` (`../../bin/…`,
 * `../bench/checkpoint.js`) resolve the same from either.
 */
import { defineConfig } from 'rolldown';

export default defineConfig({
  input: { main: 'dist/cli/main.js' },
  platform: 'node',
  // Bare specifiers other than commander's are not bundled (relative and absolute ids are ours).
  external: (id) => !/^[./]/.test(id) && !/^commander(\/|$)/.test(id),
  logLevel: 'warn',
  output: {
    dir: 'dist/bin',
    format: 'esm',
    cleanDir: true,
    chunkFileNames: '[name]-[hash].js',
  },
});
