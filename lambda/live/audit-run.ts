/**
 * The reporting half of a scheduled or manual run: store every cluster's findings in S3, then (only then) send the
 * run's one alert when something failed at or above the threshold or a cluster could not be audited, and sum the
 * run up. Storing comes first so that an alert always points at findings that exist.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { SNSClient } from '@aws-sdk/client-sns';
import { Status, type Finding, type Severity } from '../audit/finding.js';
import { buildAlert } from '../report/alert.js';
import { ATHENA_NAMES } from '../report/athena.js';
import { storeFindings, type StoreTarget } from '../report/s3-store.js';
import { publishAlert } from '../report/sns-alert.js';
import { failedClustersOf, type ClusterAudit, type FailedCluster } from './cluster-audit.js';
import { mapSettledWithLimit } from './concurrency.js';
import type { EksFleetAudit } from './eks-fleet.js';

/** Where findings go and whom the alert goes to. */
export interface RunReporting {
  s3: S3Client;
  store: StoreTarget;
  /** No topic: findings are stored and no alert is sent. */
  alerts?: { sns: SNSClient; topicArn: string };
  threshold: Severity;
  /** Objects written at once. */
  concurrency: number;
}

/** What a run did, as the handler returns it (and logs it). */
export interface RunSummary {
  runId: string;
  /** Clusters whose findings were produced (audited, or UNKNOWN because they could not be). */
  clusters: number;
  failedClusters: Array<{ name: string; region: string | null; reason: string }>;
  findings: Record<Status, number>;
  /** Object keys written under the bucket. */
  keys: string[];
  alerted: boolean;
}

/** The run's findings could not be stored at all: the run failed and must be retried. */
export class RunStoreError extends Error {
  override readonly name = 'RunStoreError';
}

/** The summary, and the clusters whose findings could not be stored (also among the summary's failed clusters). */
export interface RunReport {
  summary: RunSummary;
  storeFailures: FailedCluster[];
}

/** Reports of what went wrong after the audit, for the handler's logs. */
export interface ReportingEvents {
  storeFailed?(failure: FailedCluster): void;
  alertFailed?(reason: string): void;
}

/**
 * Stores each cluster's findings (one object each), then publishes the alert if {@link buildAlert} produces one. A
 * cluster whose object could not be written is reported as a failed cluster (in the alert too); when no object at
 * all could be written, throws {@link RunStoreError} before any alert. A failed publish is reported through
 * `events.alertFailed` and leaves `alerted` false: the findings are stored, so the run itself succeeded.
 */
export async function reportRun(
  runId: string,
  fleet: EksFleetAudit,
  reporting: RunReporting,
  events: ReportingEvents = {},
): Promise<RunReport> {
  const stored = await storeEach(fleet.audits, reporting);
  for (const failure of stored.failures) events.storeFailed?.(failure);
  if (stored.keys.length === 0 && stored.failures.length > 0) {
    throw new RunStoreError(`no findings could be stored: ${stored.failures[0]?.reason}`);
  }

  const findings = fleet.audits.flatMap((audit) => audit.findings);
  const failedClusters = [...failedClustersOf(fleet.audits), ...stored.failures];
  const alerted = await alertIfNeeded(runId, findings, failedClusters, stored.keys, reporting, events);
  const summary: RunSummary = {
    runId,
    clusters: fleet.audits.length,
    failedClusters: failedClusters.map(({ cluster, reason }) => ({ name: cluster.name, region: cluster.region ?? null, reason })),
    findings: countByStatus(findings),
    keys: stored.keys,
    alerted,
  };
  return { summary, storeFailures: stored.failures };
}

/** Counts of findings per status, every status present (0 when none). */
export function countByStatus(findings: readonly Finding[]): Record<Status, number> {
  const counts: Record<Status, number> = { PASS: 0, FAIL: 0, UNKNOWN: 0 };
  for (const finding of findings) counts[finding.status] += 1;
  return counts;
}

async function storeEach(audits: ClusterAudit[], reporting: RunReporting): Promise<{ keys: string[]; failures: FailedCluster[] }> {
  const withFindings = audits.filter((audit) => audit.findings.length > 0);
  const settled = await mapSettledWithLimit(withFindings, reporting.concurrency, (audit) =>
    storeFindings(reporting.s3, reporting.store, audit.findings),
  );
  const keys: string[] = [];
  const failures: FailedCluster[] = [];
  settled.forEach((outcome, index) => {
    if (outcome.status === 'fulfilled') keys.push(...outcome.value);
    else failures.push({ cluster: (withFindings[index] as ClusterAudit).cluster, reason: `findings not stored: ${(outcome.reason as Error).message}` });
  });
  return { keys, failures };
}

async function alertIfNeeded(
  runId: string,
  findings: Finding[],
  failedClusters: FailedCluster[],
  keys: string[],
  reporting: RunReporting,
  events: ReportingEvents,
): Promise<boolean> {
  if (!reporting.alerts) return false;
  const alert = buildAlert({
    runId,
    findings,
    failedClusters,
    threshold: reporting.threshold,
    location: { bucket: reporting.store.bucket, prefix: reporting.store.prefix, keys },
    athena: ATHENA_NAMES,
  });
  if (!alert) return false;
  try {
    await publishAlert(reporting.alerts.sns, reporting.alerts.topicArn, alert);
    return true;
  } catch (error) {
    events.alertFailed?.((error as Error).message);
    return false;
  }
}
