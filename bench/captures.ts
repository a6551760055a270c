/**
 * The synthetic captures the benchmarks read, written once per run into the work folder (.bench/, git-ignored).
 */
import { join } from 'node:path';
import { CaptureFormat, shapeForPods, writeClusterList, type ClusterCounts } from './synthetic-cluster.js';
import { size } from './report.js';

/** A capture on disk and what it holds. */
export interface Capture {
  /** Running pods of the team namespaces: the size the capture is named after. */
  teamPods: number;
  file: string;
  bytes: number;
  counts: ClusterCounts;
}

/** Writes one capture per size in `sizes` to `workDir`, printing what each holds through `print`. */
export async function prepareCaptures(workDir: string, sizes: readonly number[], print: (line: string) => void): Promise<Capture[]> {
  const captures: Capture[] = [];
  for (const teamPods of sizes) {
    const file = join(workDir, `cluster-${teamPods}.json`);
    const { bytes, counts } = await writeClusterList(file, shapeForPods(teamPods));
    print(
      `${file}: ${size(bytes)}; ${counts.pods} pods (${counts.runningPods} running, ${counts.teamPods} in ` +
        `${counts.teamNamespaces} team namespaces), ${counts.networkPolicies} policies, ${counts.replicaSets} ReplicaSets, ` +
        `${counts.nodes} nodes, ${counts.jobs} Jobs, ${counts.configMaps} ConfigMaps`,
    );
    captures.push({ teamPods, file, bytes, counts });
  }
  return captures;
}

/** Writes a capture of `teamPods` pods as kubectl prints it (4-space indentation, managedFields) to `workDir`. */
export async function prepareKubectlCapture(workDir: string, teamPods: number, print: (line: string) => void): Promise<Capture> {
  const file = join(workDir, `cluster-${teamPods}-kubectl.json`);
  const { bytes, counts } = await writeClusterList(file, shapeForPods(teamPods), CaptureFormat.Kubectl);
  print(`${file}: ${size(bytes)}; ${counts.pods} pods as kubectl prints them (4-space indentation, managedFields)`);
  return { teamPods, file, bytes, counts };
}
