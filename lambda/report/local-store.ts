/**
 * The findings store in a local folder (`--output DIR`): the same objects, at the same relative paths, as the S3 store,
 * so the folder can be queried like the bucket (DuckDB with `hive_partitioning`) or copied into it, and read back as
 * the previous runs of `--previous DIR`.
 */
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Finding } from '../audit/finding.js';
import { groupByCluster } from '../lifecycle/changes.js';
import { decodeFindings, findingsObjects } from './jsonl.js';
import { FINDINGS_PREFIX, PARTITION_KEY, partitionDate } from './store-layout.js';

/**
 * Writes one gzipped JSON Lines file per cluster per run under `directory/findings/dt=YYYY-MM-DD/`, creating the
 * folders, overwriting a file of the same run, and returns the paths written. A file that cannot be written throws
 * one line naming the path and the system's reason.
 */
export async function writeFindingsToDirectory(directory: string, findings: Finding[]): Promise<string[]> {
  const paths: string[] = [];
  for (const object of findingsObjects(FINDINGS_PREFIX, findings)) {
    const path = join(directory, object.key);
    try {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, object.body);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new Error(`cannot write findings to ${path}: ${reason}`);
    }
    paths.push(path);
  }
  return paths;
}

/** The run whose previous runs are looked for. */
export interface CurrentRun {
  runId: string;
  observedAt: Date;
}

/**
 * The latest earlier run of each cluster of `clusters` (cluster keys, see `clusterKey`) in a folder of the store
 * layout: its findings, by cluster key; a cluster with no earlier run there is absent. Day folders are read newest
 * first, up to the current run's day, and reading stops once every cluster is found; the current run itself (same run
 * id, or not earlier) never counts. A file that cannot be read or decoded is skipped with a warning through `warn`; a
 * folder without a `findings` folder simply has no runs. Throws naming the folder when it cannot be listed.
 */
export async function readPreviousRuns(
  directory: string,
  run: CurrentRun,
  clusters: readonly string[],
  warn: (message: string) => void,
): Promise<Map<string, Finding[]>> {
  const root = join(directory, FINDINGS_PREFIX);
  const wanted = new Set(clusters);
  const found = new Map<string, Finding[]>();
  const lastDay = `${PARTITION_KEY}=${partitionDate(run.observedAt)}`;
  const days = (await listFolder(root)).filter((day) => DAY_FOLDER.test(day) && day <= lastDay).sort().reverse();
  for (const day of days) {
    if (found.size === wanted.size) break;
    const latest = new Map<string, Finding[]>();
    for (const file of (await listFolder(join(root, day))).filter((name) => name.endsWith('.jsonl.gz'))) {
      const path = join(root, day, file);
      let findings: Finding[];
      try {
        findings = decodeFindings(await readFile(path)).filter(isFindingRecord);
      } catch (error) {
        warn(`--previous: ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}; skipped`);
        continue;
      }
      for (const [key, group] of groupByCluster(findings)) {
        if (!wanted.has(key) || found.has(key)) continue;
        const earlier = group.filter((finding) => finding.run_id !== run.runId && Date.parse(finding.observed_at) < run.observedAt.getTime());
        const best = latest.get(key)?.[0];
        if (earlier[0] && (!best || earlier[0].observed_at > best.observed_at)) latest.set(key, earlier);
      }
    }
    for (const [key, findings] of latest) found.set(key, findings);
  }
  return found;
}

const DAY_FOLDER = new RegExp(`^${PARTITION_KEY}=\\d{4}-\\d{2}-\\d{2}$`);

/** The names in `folder`; none when it does not exist. */
async function listFolder(folder: string): Promise<string[]> {
  try {
    return await readdir(folder);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return [];
    throw new Error(`cannot read ${folder}: ${code ?? (error as Error).message}`);
  }
}

/** A stored record the lifecycle can compare: the fields it reads are there (a hand-edited file may lack them). */
function isFindingRecord(record: Finding): boolean {
  const fields = record as unknown as Record<string, unknown>;
  const cluster = fields.cluster as Record<string, unknown> | null | undefined;
  return (
    ['finding_id', 'run_id', 'observed_at', 'check_id', 'status'].every((field) => typeof fields[field] === 'string') &&
    typeof cluster === 'object' && cluster !== null && typeof cluster.name === 'string' &&
    typeof fields.resource === 'object' && fields.resource !== null
  );
}
