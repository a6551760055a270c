/**
 * `npm run build`: bundles the command line into dist/ (`dist/cli.js`, the package's `bin`, and its lazily loaded
 * chunks). `prepare` runs it, so `npm ci` in a clone and `npm pack` both leave a current build.
 */
import { rm } from 'node:fs/promises';
import { build } from 'esbuild';
import { COMMAND_OUTDIR, commandBuildOptions } from '../lib/handler-bundle.js';

// Chunk names carry a content hash: without a clean folder, the chunks of earlier builds would pile up.
await rm(COMMAND_OUTDIR, { recursive: true, force: true });
await build({ ...commandBuildOptions(COMMAND_OUTDIR), logLevel: 'warning' });
