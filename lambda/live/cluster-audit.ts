/**
 * The outcome of auditing one live cluster, and how a snapshot (or a fault that left no snapshot) becomes one. A
 * cluster whose Kubernetes API could not be used at all is not silently skipped: its checks say UNKNOWN with the
 * reason, and it is reported as a cluster that could not be audited.
 */
import { CHECKS, auditSnapshot } from '../audit/index.js';
import { CONTROL_ID, CheckId, Status, type AuditOptions, type Finding, type FindingResource } from '../audit/finding.js';
import { toFinding } from '../audit/findings.js';
import type { ClusterIdentity, ClusterSnapshot, CollectionProblem, SkippedObject } from '../audit/snapshot.js';
import type { KubeCollectOptions } from '../collect/kubernetes.js';
import { DEFAULT_CLUSTER_TIMEOUT_MS, clusterAllowance, withinDeadline, type AuditDeadline } from './deadline.js';

/** How a live audit runs: the run identity and exclusions, plus Kubernetes collection tuning (tests, benchmarks). */
export interface LiveAuditOptions extends AuditOptions {
  /** Collection settings shared by every cluster; cluster-specific fields (name, region, auth mode) are filled in. */
  collect?: Pick<KubeCollectOptions, 'pageSize' | 'timeoutMs' | 'maxRetries' | 'maxBodyBytes' | 'sleep' | 'roleArn' | 'signal'>;
  /** Time limits; absent: the default per-cluster deadline (deadline.ts) and no run deadline. */
  deadline?: AuditDeadline;
}

/** A cluster that could not be audited, and why (as the alert and the run summary report it). */
export interface FailedCluster {
  cluster: ClusterIdentity;
  reason: string;
}

/** One cluster's audit: its findings, and when it could not be audited, why. */
export interface ClusterAudit {
  cluster: ClusterIdentity;
  findings: Finding[];
  /** Set when the cluster could not be audited (its in-cluster checks are UNKNOWN with this reason). */
  failure?: string;
  /** Kubernetes API requests made (retries included); 0 when the API was not reached. */
  requests: number;
  /** List items skipped as unreadable (the audit is incomplete); absent when none was. */
  skipped?: SkippedObject[];
}

/**
 * Audits a collected snapshot. The cluster counts as not audited when collection left a `cluster` problem (API
 * unreachable, credentials rejected, cluster not ACTIVE, not describable): its reason becomes the failure.
 */
export function auditCollected(snapshot: ClusterSnapshot, options: AuditOptions, requests = 0): ClusterAudit {
  const clusterProblem = snapshot.problems.find((problem) => problem.kind === 'cluster');
  return {
    cluster: snapshot.cluster,
    findings: auditSnapshot(snapshot, options),
    ...(clusterProblem ? { failure: clusterProblem.reason } : {}),
    requests,
    ...(snapshot.skipped && snapshot.skipped.length > 0 ? { skipped: snapshot.skipped } : {}),
  };
}

/**
 * The audit of a cluster whose collection threw: a snapshot holding only a `cluster` problem with the error's first
 * line, so every check says UNKNOWN and why, instead of the cluster vanishing from the run.
 */
export function auditFault(cluster: ClusterIdentity, error: unknown, options: AuditOptions): ClusterAudit {
  const detail = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
  return auditUnreached(cluster, {
    kind: 'cluster',
    reason: `the audit of this cluster failed unexpectedly: ${detail}`,
    remediation: 'Run the audit again; if the failure repeats, report it with this message.',
  }, options);
}

/**
 * The audit of a cluster abandoned at its deadline (`limit` says which: "180 s, the per-cluster deadline"): every
 * check UNKNOWN "not finished within …". What the abandoned work read is dropped, never half-used.
 */
export function auditTimedOut(cluster: ClusterIdentity, limit: string, options: AuditOptions): ClusterAudit {
  return auditUnreached(cluster, {
    kind: 'cluster',
    reason: `not finished within ${limit}`,
    remediation:
      "Check that the cluster's API server answers promptly (kubectl get --raw /readyz); a large cluster may need a longer deadline (CLUSTER_TIMEOUT_SECONDS for the function, --timeout on the command line). The next run audits it again.",
  }, options);
}

/**
 * Runs one cluster's audit (`audit`, given the options to use: collection carries the deadline's abort signal) within
 * its deadline, from now: the earlier of `options.deadline.clusterMs` and the run's end. Past it, the work is aborted
 * and dropped, and the cluster's audit is {@link auditTimedOut} under `cluster()`, the best identity known by then
 * (with the ARN once EKS described it, so the findings keep their ids from run to run).
 */
export async function auditWithinDeadline(
  cluster: () => ClusterIdentity,
  options: LiveAuditOptions,
  audit: (options: LiveAuditOptions) => Promise<ClusterAudit>,
): Promise<ClusterAudit> {
  const { ms, limit } = clusterAllowance(options.deadline ?? { clusterMs: DEFAULT_CLUSTER_TIMEOUT_MS }, Date.now());
  const outcome = await withinDeadline(ms, (signal) => audit({ ...options, collect: { ...options.collect, signal } }));
  return outcome.finished ? outcome.value : auditTimedOut(cluster(), limit, options);
}

/**
 * The audit of a cluster that could not be reached at all (its account's role refused, its batch failed): every
 * check UNKNOWN with `problem`'s reason and remediation, and the cluster counted as not audited.
 */
export function auditUnreached(cluster: ClusterIdentity, problem: CollectionProblem, options: AuditOptions): ClusterAudit {
  return auditCollected({ cluster, kube: {}, problems: [problem] }, options);
}

/** What discovery could not do: list a region's clusters, or find a cluster named on the command line or in the event. */
export interface DiscoveryFailure {
  /** `resource` is the region for a listing that failed, the cluster for a name that was not found. */
  cluster: ClusterIdentity;
  resource: FindingResource;
  reason: string;
  remediation: string;
}

/**
 * The audit of what discovery could not reach: one `control` finding, UNKNOWN with the reason, on the region or the
 * cluster. Stored and alerted like any cluster's findings, so an account whose clusters could not even be listed is
 * never reported as clean.
 */
export function auditNotDiscovered(failure: DiscoveryFailure, options: AuditOptions): ClusterAudit {
  const control = CHECKS.find((entry) => entry.id === CheckId.Control);
  if (!control) throw new Error('the check registry has no control check');
  const verdict = {
    status: Status.Unknown,
    resource: failure.resource,
    message: `${CONTROL_ID} cannot be decided: ${failure.reason}.`,
    remediation: failure.remediation,
    evidence: { reason: failure.reason },
  };
  return { cluster: failure.cluster, findings: [toFinding(verdict, control, failure.cluster, options)], failure: failure.reason, requests: 0 };
}

/** The clusters of `audits` that could not be audited, with their reasons. */
export function failedClustersOf(audits: readonly ClusterAudit[]): FailedCluster[] {
  return audits.flatMap((audit) => (audit.failure === undefined ? [] : [{ cluster: audit.cluster, reason: audit.failure }]));
}
