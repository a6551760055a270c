/**
 * The reporting half of a scheduled or manual run. Each cluster's findings are stored in S3 as soon as that cluster
 * is done ({@link storeCluster}), and the run keeps only what its alert and summary need: the cluster's verdict, its
 * failures at or above the alert threshold and its counts — not every finding of every cluster. At the end
 * ({@link reportRun}) the one alert is sent when something failed at or above the threshold or a cluster could not be
 * audited or stored, and the run is summed up. Storing comes first so that an alert always points at findings that
 * exist.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { SNSClient } from '@aws-sdk/client-sns';
import { Change, CheckId, Status, atOrAbove, type Finding, type Severity } from '../audit/finding.js';
import type { ClusterIdentity } from '../audit/snapshot.js';
import { annotateChanges } from '../lifecycle/changes.js';
import { suppressionsUsed } from '../lifecycle/suppressions.js';
import { buildAlert, type AlertOn } from '../report/alert.js';
import type { AthenaNames } from '../report/athena.js';
import type { AsffFallback } from '../report/asff.js';
import { nextState, readClusterHistory, writeClusterState, type ClusterHistory } from '../report/run-state.js';
import { importFindings } from '../report/security-hub.js';
import { storeFindings, type StoreTarget } from '../report/s3-store.js';
import { publishAlert } from '../report/sns-alert.js';
import { redact } from '../secrets.js';
import type { ClusterAudit, FailedCluster } from './cluster-audit.js';

/** Where findings go and whom the alert goes to. */
export interface RunReporting {
  s3: S3Client;
  store: StoreTarget;
  /** No topic: findings are stored and no alert is sent. */
  alerts?: { sns: SNSClient; topicArn: string };
  threshold: Severity;
  /** Which failures the alert lists in full (see buildAlert). */
  alertOn: AlertOn;
  /** The deployment's Glue table and workgroup, for the alert's ready query; left out of the alert when absent. */
  athena?: AthenaNames;
  /** Present when every run is imported into Security Hub: a client per region, and where to address findings without one. */
  securityHub?: { clientFor(region: string): SecurityHubClient; fallback: AsffFallback };
}

/** What the run keeps of one cluster once its findings are stored. */
export interface ClusterRecord {
  cluster: ClusterIdentity;
  /**
   * The cluster's `control` verdict, its failures at or above the threshold and its findings resolved since the
   * previous run: all the alert reads.
   */
  alertFindings: Finding[];
  /** The suppression entries that matched its findings (for the "matched no finding" warnings of the run). */
  suppressionsUsed: string[];
  counts: Record<Status, number>;
  /** Object keys written for it. */
  keys: string[];
  /** Why it could not be audited (its findings say UNKNOWN and why). */
  failure?: string;
  /** Why its findings could not be stored. */
  storeFailure?: string;
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

/** Reports of what went wrong while reporting, for the handler's logs. */
export interface ReportingEvents {
  storeFailed?(failure: FailedCluster): void;
  alertFailed?(reason: string): void;
  /** A cluster's previous run could not be read, or its state not written: its findings say no change. */
  historyFailed?(failure: FailedCluster): void;
  /** Security Hub refused some of a cluster's findings (their number, and the first reason). */
  securityHubFailed?(failure: FailedCluster, refused: number): void;
}

/**
 * Compares one cluster's findings with its previous run (found through its state object), stores them (one object),
 * imports them into Security Hub when configured, records the run as the cluster's latest, and returns what the run keeps of it. A store that fails even after the
 * SDK's retries is reported through `events.storeFailed` and recorded as the cluster's `storeFailure`; a history that
 * cannot be read or recorded costs only the comparison (`events.historyFailed`): the findings are stored without a
 * change, which the alert lists in full rather than hide. It never rejects, so one cluster cannot stop the others.
 */
export async function storeCluster(
  audit: ClusterAudit,
  reporting: RunReporting,
  events: ReportingEvents = {},
): Promise<ClusterRecord> {
  const history = audit.findings.length > 0 ? await readHistory(audit, reporting, events) : undefined;
  const findings = history ? annotateChanges(audit.findings, history.previous) : audit.findings;
  const record = clusterRecord({ ...audit, findings }, reporting.threshold);
  if (findings.length === 0) return record;
  try {
    record.keys = await storeFindings(reporting.s3, reporting.store, findings);
  } catch (error) {
    record.storeFailure = `findings not stored: ${(error as Error).message}`;
    events.storeFailed?.({ cluster: audit.cluster, reason: record.storeFailure });
    return record;
  }
  if (reporting.securityHub) await importCluster(audit, findings, reporting.securityHub, events);
  const [key] = record.keys;
  const first = findings[0] as Finding;
  if (history && key !== undefined) {
    try {
      await writeClusterState(reporting.s3, reporting.store.bucket, first.cluster, nextState(history.state, { run_id: first.run_id, observed_at: first.observed_at, key }));
    } catch (error) {
      events.historyFailed?.({ cluster: audit.cluster, reason: `run not recorded: ${(error as Error).message}` });
    }
  }
  return record;
}

/** Imports the cluster's findings into the Security Hub of its region; what is refused is reported, never thrown. */
async function importCluster(audit: ClusterAudit, findings: Finding[], hub: NonNullable<RunReporting['securityHub']>, events: ReportingEvents) {
  const region = (findings[0] as Finding).cluster.region ?? hub.fallback.region;
  const outcome = await importFindings(hub.clientFor(region), findings, hub.fallback);
  const [first] = outcome.failed;
  if (first) events.securityHubFailed?.({ cluster: audit.cluster, reason: `Security Hub refused ${first.id}: ${first.reason}` }, outcome.failed.length);
}

async function readHistory(audit: ClusterAudit, reporting: RunReporting, events: ReportingEvents): Promise<ClusterHistory | undefined> {
  const first = audit.findings[0] as Finding;
  try {
    return await readClusterHistory(reporting.s3, reporting.store.bucket, first.cluster, first.run_id);
  } catch (error) {
    events.historyFailed?.({ cluster: audit.cluster, reason: `previous run not read: ${(error as Error).message}` });
    return undefined;
  }
}

/**
 * What the run keeps of one cluster's audit, before or without storing it: its control verdict, its failures at or
 * above `threshold` and its findings resolved since the previous run (all the alert reads), the suppression entries
 * its findings used, its counts and its failure; no keys yet.
 */
export function clusterRecord(audit: ClusterAudit, threshold: Severity): ClusterRecord {
  return {
    cluster: audit.cluster,
    alertFindings: audit.findings.filter(
      (finding) =>
        finding.check_id === CheckId.Control ||
        (atOrAbove(finding.severity, threshold) && (finding.status === Status.Fail || finding.change === Change.Resolved)),
    ),
    suppressionsUsed: suppressionsUsed(audit.findings),
    counts: countByStatus(audit.findings),
    keys: [],
    ...(audit.failure === undefined ? {} : { failure: audit.failure }),
  };
}

/**
 * Ends the run: when no object at all could be stored, throws {@link RunStoreError} before any alert; otherwise
 * publishes the alert if {@link buildAlert} produces one, naming the clusters that could not be audited or stored and
 * carrying `warnings` (suppressions expired, unmatched or not applied). A
 * failed publish is reported through `events.alertFailed` and leaves `alerted` false: the findings are stored, so the
 * run itself succeeded.
 */
export async function reportRun(
  runId: string,
  records: readonly ClusterRecord[],
  reporting: RunReporting,
  events: ReportingEvents = {},
  warnings: string[] = [],
): Promise<RunReport> {
  const keys = records.flatMap((record) => record.keys);
  const storeFailures = records.flatMap((record) =>
    record.storeFailure === undefined ? [] : [{ cluster: record.cluster, reason: record.storeFailure }],
  );
  if (keys.length === 0 && storeFailures.length > 0) {
    throw new RunStoreError(`no findings could be stored: ${storeFailures[0]?.reason}`);
  }
  const failedClusters = [
    ...records.flatMap((record) => (record.failure === undefined ? [] : [{ cluster: record.cluster, reason: record.failure }])),
    ...storeFailures,
  ];
  const findings = records.flatMap((record) => record.alertFindings);
  const alerted = await alertIfNeeded(runId, findings, failedClusters, keys, reporting, events, warnings);
  const summary: RunSummary = {
    runId,
    clusters: records.length,
    failedClusters: failedClusters.map(({ cluster, reason }) => ({ name: cluster.name, region: cluster.region ?? null, reason: redact(reason) })),
    findings: sumCounts(records.map((record) => record.counts)),
    keys,
    alerted,
  };
  return { summary, storeFailures };
}

/** Counts of findings per status, every status present (0 when none). */
export function countByStatus(findings: readonly Finding[]): Record<Status, number> {
  const counts: Record<Status, number> = { PASS: 0, FAIL: 0, UNKNOWN: 0 };
  for (const finding of findings) counts[finding.status] += 1;
  return counts;
}

function sumCounts(counts: ReadonlyArray<Record<Status, number>>): Record<Status, number> {
  const total: Record<Status, number> = { PASS: 0, FAIL: 0, UNKNOWN: 0 };
  for (const each of counts) for (const status of Object.values(Status)) total[status] += each[status];
  return total;
}

async function alertIfNeeded(
  runId: string,
  findings: Finding[],
  failedClusters: FailedCluster[],
  keys: string[],
  reporting: RunReporting,
  events: ReportingEvents,
  warnings: string[],
): Promise<boolean> {
  if (!reporting.alerts) return false;
  const alert = buildAlert({
    runId,
    findings,
    failedClusters,
    threshold: reporting.threshold,
    alertOn: reporting.alertOn,
    warnings,
    location: { bucket: reporting.store.bucket, prefix: reporting.store.prefix, keys },
    ...(reporting.athena ? { athena: reporting.athena } : {}),
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
