#!/usr/bin/env node
// The `weightinit` command: the bundle of src/cli/main.ts that `npm run build` makes (see
// rolldown.config.mjs; `npm ci` builds it through `prepare`).
import { main } from '../dist/bin/main.js';

// A reader that stops early (`weightinit … | head`) is not an error: stop quietly, as Unix
// tools do, instead of an unhandled EPIPE.
process.stdout.on('error', (error) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

process.exitCode = await main(process.argv.slice(2));
