/**
 * The findings store layout, shared by the S3 writer, the `--output DIR` writer and the Glue table the stack defines:
 * gzipped JSON Lines under a Hive-style date partition, `<prefix>/dt=YYYY-MM-DD/<run-id>-<cluster>.jsonl.gz`.
 */

/** Default key prefix (and the Glue table's location under the bucket). */
export const FINDINGS_PREFIX = 'findings';

/** Partition column name; its values are `YYYY-MM-DD` (UTC). */
export const PARTITION_KEY = 'dt';

/** The partition value of a run observed at `observedAt`. */
export function partitionDate(observedAt: Date): string {
  return observedAt.toISOString().slice(0, 10);
}

/**
 * The object key (or relative file path) of one cluster's findings in one run. Deterministic, so a retried run
 * overwrites its objects instead of duplicating them. The region is part of the name because EKS cluster names are
 * only unique within a region.
 */
export function findingsObjectKey(
  prefix: string,
  observedAt: Date,
  runId: string,
  cluster: { name: string; region?: string | null },
): string {
  const clusterPart = cluster.region ? `${cluster.region}-${cluster.name}` : cluster.name;
  const file = `${safeKeyPart(runId)}-${safeKeyPart(clusterPart)}.jsonl.gz`;
  const base = prefix.replace(/\/+$/, '');
  return `${base ? `${base}/` : ''}${PARTITION_KEY}=${partitionDate(observedAt)}/${file}`;
}

/** Keeps keys portable across S3, local file systems and Athena: anything unusual becomes `_`. */
function safeKeyPart(part: string): string {
  return part.replace(/[^A-Za-z0-9._-]/g, '_');
}
