/**
 * How the handler is bundled: one ES module with every dependency inside (the AWS SDK included, so the deployed
 * code runs the versions the tests ran). CommonJS dependencies call `require`, which an ES module lacks, so the
 * banner provides one. Exported as plain data so a test can bundle the handler exactly as the stack does.
 */
import { fileURLToPath } from 'node:url';
import type { BuildOptions } from 'esbuild';

/** The repository root (the NodejsFunction project root and the home of package-lock.json). */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The Lambda entry point; it exports `handler`. */
export const HANDLER_ENTRY = fileURLToPath(new URL('../lambda/handler.ts', import.meta.url));

/** The esbuild settings the stack bundles with (beyond platform `node`, the runtime's target and `bundle`). */
export const HANDLER_BUNDLE = {
  format: 'esm',
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  // ESM builds of dependencies first: they tree-shake; `main` is the CommonJS fallback.
  mainFields: ['module', 'main'],
  banner: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
} as const;

/**
 * esbuild options that bundle `entry` into `outfile` exactly as the stack does, for a Node.js `target` such as
 * `node24`; the end-to-end test and the cold-start benchmark build with them, so they measure what is deployed.
 */
export function handlerBuildOptions(entry: string, outfile: string, target: string): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target,
    format: HANDLER_BUNDLE.format,
    minify: HANDLER_BUNDLE.minify,
    sourcemap: HANDLER_BUNDLE.sourcemap,
    sourcesContent: HANDLER_BUNDLE.sourcesContent,
    mainFields: [...HANDLER_BUNDLE.mainFields],
    banner: { js: HANDLER_BUNDLE.banner },
  };
}
