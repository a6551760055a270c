/**
 * What an organization run passes between its states, and where it keeps it. State payloads carry pointers only
 * (Step Functions limits them to 256 KB): the cluster list and the plan live in S3 under the runs prefix, the
 * Distributed Map reads the list with its ItemReader and writes each batch's result with its ResultWriter.
 */

/** One cluster to audit: an item of the Distributed Map. */
export interface ClusterItem {
  account: string;
  region: string;
  name: string;
}

/** What the Distributed Map's ItemBatcher adds to every batch (its `BatchInput`). */
export interface BatchContext {
  runId: string;
  observedAt: string;
}

/** One child execution's input: a batch of clusters and the run they belong to. */
export interface ClusterBatch {
  Items: ClusterItem[];
  BatchInput: BatchContext;
}

/** The error a Catch hands over: Step Functions' `Error` and `Cause` (for a Lambda, its JSON error). */
export interface CaughtError {
  Error?: string;
  Cause?: string;
}

/** A batch whose audit failed for good, with the error the Catch caught. */
export interface FailedBatch extends ClusterBatch {
  error: CaughtError;
}

/** What became of one cluster: where its findings are, its control verdict, and why it was not audited if so. */
export interface ClusterResult extends ClusterItem {
  /** The findings object's key; absent when even UNKNOWN findings could not be stored. */
  key?: string;
  control?: string;
  failure?: string;
}

/** A child execution's output. */
export interface BatchResult {
  clusters: ClusterResult[];
}

/**
 * An account, or one region of it, that could not be planned (no account: the organization's accounts could not be
 * listed): its UNKNOWN findings are stored at `key`.
 */
export interface PlanFailure {
  account?: string;
  region?: string;
  reason: string;
  key?: string;
}

/** The plan of a run, stored as JSON: which accounts were found and what could not be planned. */
export interface PlanDocument {
  runId: string;
  observedAt: string;
  accounts: Array<{ id: string; name: string }>;
  clusters: number;
  failures: PlanFailure[];
}

/** The plan's state output: pointers to the plan and to the cluster list, and the run identity for the batches. */
export interface PlanPointer extends BatchContext {
  bucket: string;
  planKey: string;
  clustersKey: string;
  clusters: number;
}

/** The report's input: the plan pointer and the Distributed Map's ResultWriter output. */
export interface ReportRequest {
  plan: PlanPointer;
  results: { ResultWriterDetails: { Bucket: string; Key: string } };
}

/** The keys of a run's plan and cluster list under `prefix`. */
export function runKeys(prefix: string, runId: string): { planKey: string; clustersKey: string } {
  const base = `${prefix.replace(/\/+$/, '')}/${runId}`;
  return { planKey: `${base}/plan.json`, clustersKey: `${base}/clusters.json` };
}

/** The ResultWriter prefix under the runs prefix (Step Functions adds the Map Run's id). */
export function resultsPrefix(prefix: string): string {
  return `${prefix.replace(/\/+$/, '')}/results`;
}

/**
 * Orders clusters so that consecutive ones belong to different accounts (round robin over accounts, each account's
 * clusters by region and name): however the Distributed Map cuts the list into batches and runs them, no account's
 * EKS API sees more than its share of the concurrency.
 */
export function interleaveByAccount(clusters: readonly ClusterItem[]): ClusterItem[] {
  const byAccount = new Map<string, ClusterItem[]>();
  const sorted = [...clusters].sort((a, b) => compare(a.account, b.account) || compare(a.region, b.region) || compare(a.name, b.name));
  for (const cluster of sorted) {
    const list = byAccount.get(cluster.account);
    if (list) list.push(cluster);
    else byAccount.set(cluster.account, [cluster]);
  }
  const queues = [...byAccount.values()];
  const interleaved: ClusterItem[] = [];
  for (let round = 0; interleaved.length < sorted.length; round += 1) {
    for (const queue of queues) if (round < queue.length) interleaved.push(queue[round] as ClusterItem);
  }
  return interleaved;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
