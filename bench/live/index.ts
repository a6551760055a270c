/**
 * The live benchmark (issue 3): with latency on every API request, audit one cluster, then 20 clusters through the
 * orchestration at its default concurrency, each run in a fresh child process while the API servers run in another;
 * then, when asked, the peak memory of the live audit of the largest cluster (what the Lambda needs).
 */
import { benchScript, runChild, startServiceChild } from '../child-process.js';
import { atMost, median, millis, size, table, targetLine, times, type TargetCheck } from '../report.js';
import type { FleetMeasurement, FleetSpec } from './fleet-audit.js';
import type { RequestCounts, ServerStats, ServersReady } from './kube-servers.js';

/** What to measure. */
export interface LiveSettings {
  /** The capture every audited cluster serves. */
  clusterFile: string;
  clusters: number;
  /** Added to every Kubernetes API request and every EKS call. */
  latencyMs: number;
  /** Child processes per measurement; the figures are medians. */
  repetitions: number;
  /** A large capture whose live audit's peak RSS to measure (no latency), or none. */
  memoryFile?: { file: string; teamPods: number; fileBytes: number };
}

/** Waves of slack in the fleet bound: 20 clusters ≤ (20 / concurrency + 2) × one cluster. */
const FLEET_SLACK = 2;

const FLEET_AUDIT = benchScript('live/fleet-audit.ts');
const KUBE_SERVERS = benchScript('live/kube-servers.ts');

interface Run {
  measurement: FleetMeasurement;
  stats: ServerStats[];
}

/** Runs the live benchmark, printing through `print`; resolves to the target checks. */
export async function runLiveBenchmark(settings: LiveSettings, print: (line: string) => void): Promise<TargetCheck[]> {
  const servers = startServiceChild(KUBE_SERVERS, [settings.clusterFile, String(settings.clusters), String(settings.latencyMs)]);
  let single: Run[];
  let fleet: Run[];
  try {
    const { servers: endpoints } = await servers.ready<ServersReady>();
    const clusters = endpoints.map((endpoint, index) => ({ name: `bench-${String(index + 1).padStart(2, '0')}`, ...endpoint }));
    const audit = async (count: number): Promise<Run> => {
      const spec: FleetSpec = { clusters: clusters.slice(0, count), eksLatencyMs: settings.latencyMs };
      const measurement = await runChild<FleetMeasurement>(FLEET_AUDIT, [JSON.stringify(spec)]);
      return { measurement, stats: (await servers.ask<ServerStats[]>('stats')).slice(0, count) };
    };
    single = [];
    fleet = [];
    for (let run = 0; run < settings.repetitions; run += 1) {
      single.push(await audit(1));
      fleet.push(await audit(settings.clusters));
    }
  } finally {
    await servers.stop();
  }

  const checks = fleetChecks(settings, single, fleet, print);
  if (settings.memoryFile) await printLiveMemory(settings.memoryFile, print);
  return checks;
}

function fleetChecks(settings: LiveSettings, single: Run[], fleet: Run[], print: (line: string) => void): TargetCheck[] {
  for (const run of [...single, ...fleet]) {
    const failed = run.measurement.clusters.find((cluster) => cluster.failure !== undefined);
    if (failed) throw new Error(`live benchmark: cluster ${failed.name} could not be audited: ${failed.failure}`);
  }
  const one = median(single.map((run) => run.measurement.wallMs));
  const many = median(fleet.map((run) => run.measurement.wallMs));
  const concurrency = fleet[0]?.measurement.concurrency ?? 1;
  const stats = fleet.flatMap((run) => run.stats);
  const worst = stats.reduce((max, stat) => (stat.requests - total(stat.expected) > max.requests - total(max.expected) ? stat : max));
  const counted = fleet.flatMap((run) => run.measurement.clusters.map((cluster) => cluster.requests));
  const served = stats.map((stat) => stat.requests);

  print(`latency: ${settings.latencyMs} ms on every Kubernetes API request and every EKS call; concurrency ${concurrency} (the default)`);
  print(
    table(
      ['run', 'wall time (median)', 'auditor CPU (median)', 'runs', 'requests per cluster', 'discovery + pages + ConfigMaps', 'findings per cluster'],
      [
        row('1 cluster', one, single),
        row(`${settings.clusters} clusters`, many, fleet),
      ],
    ),
  );
  print(`requests counted by the auditor: ${[...new Set(counted)].join(', ')}; received by the servers: ${[...new Set(served)].join(', ')}`);
  print(`a complete collection requests ${breakdown(worst.expected)} at page size ${worst.pageSize}: /apis and each group version it offers, every page of every served kind, the engine ConfigMaps`);
  print('');
  const bound = settings.clusters / concurrency + FLEET_SLACK;
  return [
    atMost(`${settings.clusters} clusters / 1 cluster`, many / one, bound, times),
    atMost(`Kubernetes requests per cluster (${breakdown(worst.expected)}, page size ${worst.pageSize})`, worst.requests, total(worst.expected), String),
  ].map((check) => {
    print(targetLine(check));
    return check;
  });
}

function row(label: string, wallMs: number, runs: Run[]): string[] {
  const requests = [...new Set(runs.flatMap((run) => run.stats.map((stat) => stat.requests)))].join('/');
  const pages = [...new Set(runs.flatMap((run) => run.stats.map((stat) => breakdown(stat.received))))].join('/');
  const findings = [...new Set(runs.flatMap((run) => run.measurement.clusters.map((cluster) => cluster.findings)))].join('/');
  const cpu = median(runs.map((run) => run.measurement.cpuMs));
  return [label, millis(wallMs), millis(cpu), String(runs.length), requests, pages, findings];
}

/** The live audit of one large cluster, without latency: its peak RSS is what the Lambda's memory must hold. */
async function printLiveMemory(memory: NonNullable<LiveSettings['memoryFile']>, print: (line: string) => void): Promise<void> {
  const servers = startServiceChild(KUBE_SERVERS, [memory.file, '1', '0']);
  try {
    const [endpoint] = (await servers.ready<ServersReady>()).servers;
    if (!endpoint) throw new Error('the Kubernetes API server did not start');
    const spec: FleetSpec = { clusters: [{ name: 'bench-large', ...endpoint }], eksLatencyMs: 0 };
    const measurement = await runChild<FleetMeasurement>(FLEET_AUDIT, [JSON.stringify(spec)]);
    const [stats] = await servers.ask<ServerStats[]>('stats');
    const [cluster] = measurement.clusters;
    if (cluster?.failure) throw new Error(`live benchmark: the large cluster could not be audited: ${cluster.failure}`);
    print('');
    print(
      `live audit of ${memory.teamPods.toLocaleString('en-US')} pods (capture ${size(memory.fileBytes)}), no latency: ` +
        `${millis(measurement.wallMs)} (${millis(measurement.cpuMs)} CPU), ${stats?.requests} requests (${stats ? breakdown(stats.received) : ''}), ` +
        `${cluster?.findings} findings, peak RSS ${size(measurement.peakRss)}`,
    );
  } finally {
    await servers.stop();
  }
}

/** `5 discovery + 12 pages + 3 ConfigMaps`. */
function breakdown(counts: RequestCounts): string {
  return `${counts.discovery} discovery + ${counts.pages} pages + ${counts.configMapGets} ConfigMaps`;
}

function total(counts: RequestCounts): number {
  return counts.discovery + counts.pages + counts.configMapGets;
}
