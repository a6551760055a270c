/**
 * The findings store layout, shared by the S3 writer, the `--output DIR` writer and the Glue table the stack defines:
 * gzipped JSON Lines under a Hive-style date partition, `<prefix>/dt=YYYY-MM-DD/<run-id>-<account>-<region>-<cluster>.jsonl.gz`
 * (the account and region parts only when known).
 */

/** Default key prefix (and the Glue table's location under the bucket). */
export const FINDINGS_PREFIX = 'findings';

/** Partition column name; its values are `YYYY-MM-DD` (UTC). */
export const PARTITION_KEY = 'dt';

/** The partition value of a run observed at `observedAt`. */
export function partitionDate(observedAt: Date): string {
  return observedAt.toISOString().slice(0, 10);
}

/** A cluster as the store names it: the finding record's cluster fits. */
export interface StoredCluster {
  name: string;
  account_id?: string | null;
  region?: string | null;
}

/**
 * The object key (or relative file path) of one cluster's findings in one run. Deterministic, so a retried run
 * overwrites its objects instead of duplicating them. The account and region are part of the name because EKS
 * cluster names are only unique within an account and region: same-named clusters of two accounts are stored apart.
 */
export function findingsObjectKey(prefix: string, observedAt: Date, runId: string, cluster: StoredCluster): string {
  const clusterPart = [cluster.account_id, cluster.region, cluster.name].filter(Boolean).join('-');
  const file = `${safeKeyPart(runId)}-${safeKeyPart(clusterPart)}.jsonl.gz`;
  const base = prefix.replace(/\/+$/, '');
  return `${base ? `${base}/` : ''}${PARTITION_KEY}=${partitionDate(observedAt)}/${file}`;
}

/** Keeps keys portable across S3, local file systems and Athena: anything unusual becomes `_`. */
export function safeKeyPart(part: string): string {
  return part.replace(/[^A-Za-z0-9._-]/g, '_');
}
