/**
 * How the handler and the command are bundled: ES modules with every dependency inside (the AWS SDK included, so the
 * deployed code runs the versions the tests ran). CommonJS dependencies call `require`, which an ES module lacks, so
 * the banner provides one. Exported as plain data so a test can bundle the handler exactly as the stack does.
 */
import { fileURLToPath } from 'node:url';
import type { BuildOptions } from 'esbuild';

/** The repository root (the NodejsFunction project root and the home of package-lock.json). */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The Lambda entry point; it exports `handler`. */
export const HANDLER_ENTRY = fileURLToPath(new URL('../lambda/handler.ts', import.meta.url));

/** The organization mode's entry point; it exports one handler per function of the state machine. */
export const ORG_HANDLER_ENTRY = fileURLToPath(new URL('../lambda/org-handler.ts', import.meta.url));

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
  return { entryPoints: [entry], outfile, ...bundleOptions(target) };
}

/** The command line's entry point (`eks-netpol-auditor`). */
export const COMMAND_ENTRY = fileURLToPath(new URL('../bin/cli.ts', import.meta.url));

/** Where `npm run build` writes the command: the package's `bin` is `dist/cli.js`. */
export const COMMAND_OUTDIR = fileURLToPath(new URL('../dist', import.meta.url));

/**
 * esbuild options that build the command into `outdir` as `cli.js` plus chunks: with code splitting, what a
 * command imports dynamically (the live stack: AWS SDK, Kubernetes client) stays in chunks that load only when used,
 * so `--help` and offline audits start fast. Node.js 24 is the target, as for the Lambda.
 */
export function commandBuildOptions(outdir: string): BuildOptions {
  return {
    entryPoints: { cli: COMMAND_ENTRY },
    outdir,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    ...bundleOptions('node24'),
  };
}

function bundleOptions(target: string): BuildOptions {
  return {
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
