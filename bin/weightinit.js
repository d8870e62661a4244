#!/usr/bin/env node
// The `weightinit` command. Built by `npm run build` (run by `npm ci` through `prepare`).
import { main } from '../dist/cli/main.js';

// A reader that stops early (`weightinit … | head`) is not an error: stop quietly, as Unix
// tools do, instead of an unhandled EPIPE.
process.stdout.on('error', (error) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

process.exitCode = await main(process.argv.slice(2));
