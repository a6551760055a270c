/**
 * `npm run bench [-- --quick] [-- --profile]`: the benchmarks of issues 2 and 3, printed, never asserted by a test.
 * Offline: the whole offline audit against a bare JSON.parse of synthetic captures of 1k, 10k and 100k pods. Live:
 * one cluster and 20 clusters with 100 ms on every API request, and the memory of a live audit of 100k pods. Cold
 * start: the bundled handler's size and import time against an empty handler's. The command: the built command's
 * start, its example audit and its audits of the largest capture and of a capture as kubectl prints it. Every measurement runs in its own
 * child process; captures and bundles go to .bench/ (git-ignored). `--quick` is a smoke run of the small sizes;
 * `--profile` adds a CPU profile of the largest offline audit.
 */
import { mkdir } from 'node:fs/promises';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareCaptures, prepareKubectlCapture } from './captures.js';
import { runColdStartBenchmark } from './cold-start.js';
import { runCommandBenchmark } from './command.js';
import { runLiveBenchmark } from './live/index.js';
import { runOfflineBenchmark } from './offline/index.js';
import { runOrganizationBenchmark } from './organization/index.js';
import { size, type TargetCheck } from './report.js';

const WORK_DIR = fileURLToPath(new URL('../.bench/', import.meta.url));
const LIVE_CLUSTER_PODS = 1_000;

const PLANS = {
  full: { sizes: [1_000, 10_000, 100_000], repetitions: 3, imports: 7, liveMemory: true, kubectlPods: 50_000 },
  quick: { sizes: [1_000, 10_000], repetitions: 1, imports: 3, liveMemory: false, kubectlPods: 1_000 },
} as const;

const flags = new Set(process.argv.slice(2));
const unknown = [...flags].filter((flag) => flag !== '--quick' && flag !== '--profile');
if (unknown.length > 0) {
  process.stderr.write(`error: unknown option ${unknown.join(', ')} (expected --quick and/or --profile)\n`);
  process.exit(2);
}
const plan = flags.has('--quick') ? PLANS.quick : PLANS.full;
const print = (line: string) => process.stdout.write(`${line}\n`);
const section = (title: string) => print(`\n## ${title}\n`);

print(
  `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${size(totalmem())} memory (${size(freemem())} free), ` +
    `node ${process.version}, load average ${loadavg().map((load) => load.toFixed(2)).join(' ')}`,
);
await mkdir(WORK_DIR, { recursive: true });
const started = Date.now();
const checks: TargetCheck[] = [];

section('Synthetic captures');
const captures = await prepareCaptures(WORK_DIR, plan.sizes, print);
const liveCapture = captures.find((capture) => capture.teamPods === LIVE_CLUSTER_PODS) ?? (captures[0] as (typeof captures)[number]);
const largest = captures.at(-1) as (typeof captures)[number];

section('Offline audit (issue 2)');
checks.push(...(await runOfflineBenchmark({ captures, repetitions: plan.repetitions, workDir: WORK_DIR, profile: flags.has('--profile') }, print)));

section('Live audit (issue 3)');
checks.push(
  ...(await runLiveBenchmark(
    {
      clusterFile: liveCapture.file,
      clusters: 20,
      latencyMs: 100,
      repetitions: plan.repetitions,
      ...(plan.liveMemory ? { memoryFile: { file: largest.file, teamPods: largest.teamPods, fileBytes: largest.bytes } } : {}),
    },
    print,
  )),
);

section('The command as users run it (issue 10)');
const kubectlCapture = await prepareKubectlCapture(WORK_DIR, plan.kubectlPods, print);
checks.push(...(await runCommandBenchmark({ repetitions: Math.max(plan.repetitions, 5), capture: largest, kubectlCapture }, print)));
section('Organization run (issue 12)');
await runOrganizationBenchmark(
  flags.has('--quick')
    ? { accounts: 5, regions: ['eu-west-1', 'us-east-1'], clustersPerRegion: 5, latencyMs: 100, mapConcurrency: 40, clustersPerBatch: 4 }
    : { accounts: 50, regions: ['eu-west-1', 'us-east-1'], clustersPerRegion: 10, latencyMs: 100, mapConcurrency: 40, clustersPerBatch: 4 },
  print,
);

section('Cold start (issue 3)');
await mkdir(join(WORK_DIR, 'cold-start'), { recursive: true });
await runColdStartBenchmark({ workDir: join(WORK_DIR, 'cold-start'), imports: plan.imports }, print);

const missed = checks.filter((check) => !check.met).length;
print(
  `\n${checks.length - missed} of ${checks.length} targets met${missed > 0 ? `, ${missed} missed (see docs/benchmarks.md)` : ''}; ` +
    `${Math.round((Date.now() - started) / 1000)} s, load average now ${loadavg().map((load) => load.toFixed(2)).join(' ')}`,
);
