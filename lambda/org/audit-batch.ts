/**
 * One child execution of the Distributed Map: a small batch of clusters, each audited with the single-account
 * per-cluster audit (`auditEksCluster`) through the member role of its account, with the run's suppressions, then
 * compared with its previous run and stored at once exactly as the single-account handler does (`storeCluster`: the
 * cluster's state object, `change` and `first_seen`). The Catch of the batch hands a batch that failed for good to
 * {@link createRecordFailureHandler}, which stores UNKNOWN findings for each of its clusters instead: every planned
 * cluster ends with stored findings.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { CheckId, type AuditOptions } from '../audit/finding.js';
import type { ClusterIdentity } from '../audit/snapshot.js';
import { suppressionMatcher, type SuppressionEntry } from '../lifecycle/suppressions.js';
import { storeCluster, type ReportingEvents, type RunReporting } from '../live/audit-run.js';
import { auditFault, auditUnreached, auditWithinDeadline, type ClusterAudit, type LiveAuditOptions } from '../live/cluster-audit.js';
import { invocationDeadline } from '../live/deadline.js';
import { mapSettledWithLimit } from '../live/concurrency.js';
import { auditEksCluster } from '../live/eks-cluster.js';
import { runSuppressions } from '../live/run-suppressions.js';
import type { MemberAccess } from './member-access.js';
import { memberRoleArn, type OrgConfig } from './org-config.js';
import { enrolMemberRole } from './self-enrolment.js';
import type { BatchContext, BatchResult, CaughtError, ClusterBatch, ClusterItem, ClusterResult, FailedBatch } from './run-layout.js';

/** What a batch works with. */
export interface AuditBatchDependencies {
  config: OrgConfig;
  access: MemberAccess;
  s3: S3Client;
  /** Kubernetes collection tuning (tests, benchmarks). */
  collect?: LiveAuditOptions['collect'];
  /** Told what went wrong while storing (a previous run not read, a state not written), for the logs. */
  events?: ReportingEvents;
  /** Told about a suppressions source that could not be used (the report names it in the alert too). */
  suppressionsFailed?(reason: string): void;
}

/** The batch's input is not what the Distributed Map sends; the message says what is wrong. */
export class BatchInputError extends Error {
  override readonly name = 'BatchInputError';
}

/**
 * The audit handler: reads the run's suppressions (the file deployed with the function and the optional bucket
 * object, as the single-account handler does), audits the batch's clusters (at most the configured concurrency at
 * once; the list is interleaved by account, so they belong to different accounts), stores each one's findings with
 * its changes since its previous run, and returns where they are. A cluster whose audit throws gets UNKNOWN findings;
 * a store that fails throws, so the state's Retry (and then its Catch) deal with the whole batch.
 */
export function createAuditBatchHandler(deps: AuditBatchDependencies): (event: unknown, context?: BatchInvocation) => Promise<BatchResult> {
  return async (event, context) => {
    const batch = clusterBatch(event);
    const suppressions = await runSuppressions(deps.config, deps.s3);
    for (const problem of suppressions.problems) deps.suppressionsFailed?.(problem);
    // Each cluster within its deadline, and all of them before the invocation ends: a stuck cluster becomes UNKNOWN
    // on its own, and never runs the batch into Lambda's timeout, whose Catch would store UNKNOWN over its batch-mates.
    const options = { ...auditOptions(deps, batch.BatchInput, suppressions.entries), deadline: invocationDeadline(deps.config.clusterTimeoutMs, context) };
    const settled = await mapSettledWithLimit(batch.Items, deps.config.concurrency, async (item) =>
      storeAudit(deps, item, await auditWithinDeadline(() => identity(item), options, (within) => auditItem(deps, item, within))),
    );
    const rejected = settled.find((outcome) => outcome.status === 'rejected');
    if (rejected) throw (rejected as PromiseRejectedResult).reason;
    return { clusters: settled.map((outcome) => (outcome as PromiseFulfilledResult<ClusterResult>).value) };
  };
}

/**
 * The Catch handler: stores UNKNOWN findings for every cluster of a batch whose audit failed for good, with the
 * error Step Functions caught (the Lambda's error message only; its stack trace stays out of the findings).
 */
export function createRecordFailureHandler(deps: AuditBatchDependencies): (event: unknown) => Promise<BatchResult> {
  return async (event) => {
    const batch = clusterBatch(event);
    const error = (event as FailedBatch).error ?? {};
    const options = auditOptions(deps, batch.BatchInput);
    const reason = `the audit of this cluster failed: ${caughtText(error)}`;
    const clusters = await Promise.all(
      batch.Items.map((item) =>
        storeAudit(deps, item, auditUnreached(identity(item), { kind: 'cluster', reason, remediation: 'The next run audits this cluster again; if the failure repeats, report it with this message.' }, options)),
      ),
    );
    return { clusters };
  };
}

/** What a batch reads of its Lambda invocation: the time it has left (absent in a direct call). */
export interface BatchInvocation {
  getRemainingTimeInMillis?(): number;
}

async function auditItem(deps: AuditBatchDependencies, item: ClusterItem, options: LiveAuditOptions): Promise<ClusterAudit> {
  const cluster = identity(item);
  try {
    await deps.access.credentials(item.account);
  } catch (error) {
    return auditUnreached(cluster, {
      kind: 'cluster',
      reason: (error as Error).message,
      remediation: `Check the member role ${deps.config.memberRoleName} of account ${item.account}: the hub's StackSet creates it, trusting this hub.`,
    }, options);
  }
  const eks = deps.access.eks(item.account, item.region);
  if (deps.config.selfEnrolment) await enrolMemberRole(eks, item.name, memberRoleArn(deps.config, item.account), deps.config.partition);
  return auditEksCluster(
    {
      eks,
      region: item.region,
      name: item.name,
      accountId: item.account,
      credentials: () => deps.access.credentials(item.account),
    },
    options,
  ).catch((error: unknown) => auditFault(cluster, error, options));
}

/**
 * Stores the cluster's findings as the single-account run does (compared with its previous run, its state object
 * moved on); a store that failed throws, for the state's Retry and Catch.
 */
async function storeAudit(deps: AuditBatchDependencies, item: ClusterItem, audit: ClusterAudit): Promise<ClusterResult> {
  const record = await storeCluster(audit, batchReporting(deps), deps.events);
  if (record.storeFailure !== undefined) throw new Error(record.storeFailure);
  const [key] = record.keys;
  const control = audit.findings.find((finding) => finding.check_id === CheckId.Control)?.status;
  return {
    ...item,
    ...(key ? { key } : {}),
    ...(control ? { control } : {}),
    ...(audit.failure === undefined ? {} : { failure: audit.failure }),
  };
}

/** Where a batch stores: the findings store only (the report alerts once for the run; no Security Hub in organization mode). */
function batchReporting(deps: AuditBatchDependencies): RunReporting {
  const { config } = deps;
  return { s3: deps.s3, store: { bucket: config.bucket, prefix: config.prefix }, threshold: config.alertThreshold, alertOn: config.alertOn };
}

function auditOptions(deps: AuditBatchDependencies, context: BatchContext, suppressions: readonly SuppressionEntry[] = []): LiveAuditOptions {
  const observedAt = new Date(context.observedAt);
  const options: AuditOptions = {
    runId: context.runId,
    observedAt,
    excludedNamespaces: deps.config.excludedNamespaces,
    ...(suppressions.length > 0 ? { suppress: suppressionMatcher(suppressions, observedAt) } : {}),
  };
  return { ...options, collect: { maxBodyBytes: deps.config.maxBodyBytes, ...deps.collect } };
}

function identity(item: ClusterItem): ClusterIdentity {
  return { name: item.name, region: item.region, accountId: item.account };
}

/** `Error: message` of a caught error; a Lambda's Cause is its JSON error, of which only the message is kept. */
export function caughtText(error: CaughtError): string {
  let message = error.Cause ?? '';
  try {
    const cause = JSON.parse(message) as { errorMessage?: unknown };
    if (typeof cause.errorMessage === 'string') message = cause.errorMessage;
  } catch {
    // Not JSON: a Step Functions cause, already a sentence.
  }
  const firstLine = message.split('\n')[0]?.slice(0, 500) ?? '';
  return [error.Error, firstLine].filter(Boolean).join(': ') || 'unknown error';
}

function clusterBatch(event: unknown): ClusterBatch {
  const batch = event as Partial<ClusterBatch> | null;
  const context = batch?.BatchInput;
  if (!batch || !Array.isArray(batch.Items) || typeof context?.runId !== 'string' || typeof context.observedAt !== 'string') {
    throw new BatchInputError('the batch needs "Items" (clusters) and "BatchInput" with "runId" and "observedAt"');
  }
  const bad = batch.Items.findIndex(
    (item: unknown) =>
      typeof item !== 'object' || item === null ||
      !['account', 'region', 'name'].every((field) => typeof (item as Record<string, unknown>)[field] === 'string'),
  );
  if (bad !== -1) throw new BatchInputError(`Items[${bad}] is not a cluster (account, region and name strings)`);
  return batch as ClusterBatch;
}
