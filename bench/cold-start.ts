/**
 * The cold-start proxy (issue 3): bundle the handler exactly as the stack does (lib/handler-bundle.ts, platform node,
 * the runtime's target), bundle an empty handler the same way, and time the import of each bundle in fresh node
 * processes, alternating the two, with and without the `--enable-source-maps` the stack sets in NODE_OPTIONS.
 */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { HANDLER_ENTRY, handlerBuildOptions } from '../lib/handler-bundle.js';
import { runNodeForResult } from './child-process.js';
import { median, millis, size, table } from './report.js';

/** What to measure. */
export interface ColdStartSettings {
  workDir: string;
  /** Imports per bundle and flag setting; the figures are medians. */
  imports: number;
}

/** One bundle's figures. */
export interface BundleFigures {
  bytes: number;
  gzipBytes: number;
  mapBytes: number;
  importMs: number;
  importMsWithSourceMaps: number;
  rssAfterImport: number;
}

// The stack's runtime is nodejs24.x; NodejsFunction derives esbuild's target from it.
const TARGET = 'node24';
// A valid configuration, so the handler's cold start does all its work (clients built, nothing logged as invalid).
const HANDLER_ENV = {
  AWS_REGION: 'eu-west-1',
  FINDINGS_BUCKET: 'bench-findings',
  ALERT_TOPIC_ARN: 'arn:aws:sns:eu-west-1:111122223333:bench-alerts',
  AUDIT_REGIONS: 'eu-west-1',
  POWERTOOLS_SERVICE_NAME: 'eks-netpol-auditor',
  POWERTOOLS_METRICS_NAMESPACE: 'Bench',
};

/** Bundles both handlers, measures them and prints a table through `print`. */
export async function runColdStartBenchmark(settings: ColdStartSettings, print: (line: string) => void): Promise<void> {
  const emptyEntry = join(settings.workDir, 'empty-handler.ts');
  await writeFile(emptyEntry, 'export const handler = async (): Promise<unknown> => ({});\n');
  const built = await bundle(HANDLER_ENTRY, join(settings.workDir, 'handler', 'index.mjs'));
  const bundles = { handler: built.outfile, empty: (await bundle(emptyEntry, join(settings.workDir, 'empty', 'index.mjs'))).outfile };
  const samples = { handler: [[], []] as number[][], empty: [[], []] as number[][] };
  const rss = { handler: [] as number[], empty: [] as number[] };
  for (let run = 0; run < settings.imports; run += 1) {
    for (const name of ['handler', 'empty'] as const) {
      for (const [index, flags] of [[], ['--enable-source-maps']].entries()) {
        const timing = await importTime(bundles[name], flags);
        samples[name][index]?.push(timing.ms);
        if (index === 0) rss[name].push(timing.rss);
      }
    }
  }
  const figures = (name: 'handler' | 'empty'): BundleFigures => {
    const code = readFileSync(bundles[name]);
    return {
      bytes: code.length,
      gzipBytes: gzipSync(code).length,
      mapBytes: readFileSync(`${bundles[name]}.map`).length,
      importMs: median(samples[name][0] ?? []),
      importMsWithSourceMaps: median(samples[name][1] ?? []),
      rssAfterImport: median(rss[name]),
    };
  };
  const handler = figures('handler');
  const empty = figures('empty');
  print(`bundles: ${bundles.handler} and ${bundles.empty} (esbuild ${TARGET}, ESM, minified, as lib/handler-bundle.ts)`);
  print(
    table(
      ['bundle', 'size', 'gzip', 'source map', 'import (median)', 'with --enable-source-maps', 'RSS after import'],
      [
        ['handler', size(handler.bytes), size(handler.gzipBytes), size(handler.mapBytes), millis(handler.importMs), millis(handler.importMsWithSourceMaps), size(handler.rssAfterImport)],
        ['empty handler', size(empty.bytes), size(empty.gzipBytes), size(empty.mapBytes), millis(empty.importMs), millis(empty.importMsWithSourceMaps), size(empty.rssAfterImport)],
        [
          'difference',
          size(handler.bytes - empty.bytes),
          size(handler.gzipBytes - empty.gzipBytes),
          '',
          millis(handler.importMs - empty.importMs),
          millis(handler.importMsWithSourceMaps - empty.importMsWithSourceMaps),
          size(handler.rssAfterImport - empty.rssAfterImport),
        ],
      ],
    ),
  );
  print(`(${settings.imports} imports of each bundle per column, each in a fresh node process)`);
  const heaviest = packageShares(built.metafile, built.outfile).slice(0, 6);
  print(`largest parts of the handler bundle: ${heaviest.map(([name, bytes]) => `${name} ${size(bytes)}`).join(', ')}`);
}

/** Bytes of the bundle by npm package (`(project)` for our own code), largest first. */
function packageShares(metafile: Metafile, outfile: string): Array<[string, number]> {
  const output = Object.entries(metafile.outputs).find(([path]) => outfile.endsWith(path))?.[1];
  const shares = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? '(project)';
    shares.set(name, (shares.get(name) ?? 0) + bytesInOutput);
  }
  return [...shares.entries()].sort((left, right) => right[1] - left[1]);
}

async function bundle(entry: string, outfile: string): Promise<{ outfile: string; metafile: Metafile }> {
  const result = await build({ ...handlerBuildOptions(entry, outfile, TARGET), metafile: true, logLevel: 'error' });
  return { outfile, metafile: result.metafile };
}

/** The time `import()` of `file` takes in a fresh node process, and that process's RSS afterwards. */
function importTime(file: string, flags: readonly string[]): Promise<{ ms: number; rss: number }> {
  const script =
    `const started = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); ` +
    'console.log(JSON.stringify({ ms: performance.now() - started, rss: process.memoryUsage().rss }));';
  return runNodeForResult<{ ms: number; rss: number }>(
    [...flags, '--input-type=module', '-e', script],
    { PATH: process.env.PATH ?? '', ...HANDLER_ENV },
    `import of ${file}`,
  );
}
