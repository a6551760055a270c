/**
 * Findings: check verdicts turned into the public finding record (see finding.ts), with a `finding_id` that is stable
 * across runs, a deterministic order, and the wording helpers every check message shares.
 */
import { createHash } from 'node:crypto';
import type { CheckVerdict } from './verdict.js';
import {
  CONTROL_ID,
  SCHEMA_VERSION,
  type AuditOptions,
  type CheckId,
  type Finding,
  type FindingCluster,
  type FindingResource,
  type Severity,
} from './finding.js';
import type { ClusterIdentity } from './snapshot.js';
import { clusterArnParts } from '../names.js';

/** What a finding takes from its check's registration: the words live in the registry, not in the check. */
export interface CheckDescription {
  id: CheckId;
  title: string;
  severity: Severity;
  requirements: readonly string[];
  remediation: string;
}

/**
 * The stable identity of a finding: sha256 (hex) of the control, the check, the cluster (its ARN when known, else
 * region and name) and the resource kind, namespace, name and, when it has one, API group. Run id and time are not
 * part of it, so the same resource keeps its id from run to run.
 */
export function findingId(checkId: CheckId, cluster: ClusterIdentity, resource: FindingResource): string {
  // A JSON array keeps the parts apart: no choice of names can make two different identities hash the same input.
  // The group joins only where it is set, so the ids of resources without one stay what they always were.
  const group = resource.api_group === undefined ? [] : [resource.api_group];
  const identity = JSON.stringify([CONTROL_ID, checkId, clusterKey(cluster), resource.kind, resource.namespace, resource.name, ...group]);
  return createHash('sha256').update(identity).digest('hex');
}

/**
 * The cluster part of a finding's identity: its ARN when known, else region and name. Runs of one cluster are matched
 * by it (changes since the previous run), so it is the one definition both use.
 */
export function clusterKey(cluster: { name: string; arn?: string | null; region?: string | null }): string {
  return cluster.arn ?? `${cluster.region ?? ''}/${cluster.name}`;
}

/** The cluster as a finding shows it; account and region fall back to what the cluster ARN says, else null. */
export function findingCluster(cluster: ClusterIdentity): FindingCluster {
  const fromArn = cluster.arn === undefined ? undefined : clusterArnParts(cluster.arn);
  return {
    name: cluster.name,
    arn: cluster.arn ?? null,
    account_id: cluster.accountId ?? fromArn?.accountId ?? null,
    region: cluster.region ?? fromArn?.region ?? null,
  };
}

/** One finding record from one verdict of the check described by `check`. */
export function toFinding(
  verdict: CheckVerdict,
  check: CheckDescription,
  cluster: ClusterIdentity,
  options: AuditOptions,
): Finding {
  return {
    schema_version: SCHEMA_VERSION,
    finding_id: findingId(check.id, cluster, verdict.resource),
    run_id: options.runId,
    observed_at: options.observedAt.toISOString(),
    control_id: CONTROL_ID,
    check_id: check.id,
    status: verdict.status,
    severity: verdict.severity ?? check.severity,
    title: check.title,
    message: verdict.message,
    remediation: verdict.remediation ?? check.remediation,
    cluster: findingCluster(cluster),
    resource: { ...verdict.resource },
    evidence: verdict.evidence ?? {},
    requirements: [...check.requirements],
    // No history yet: lambda/lifecycle/changes.ts fills both in against the previous run.
    first_seen: options.observedAt.toISOString(),
    change: null,
    suppression: verdict.suppression ?? null,
  };
}

/** Code-unit order, not localeCompare: the order of findings and of names in messages must not depend on the locale. */
export function compareText(left: string, right: string): number {
  if (left === right) return 0;
  return left < right ? -1 : 1;
}

/** Orders resources by kind, then namespace (cluster-scoped first), then name, then API group. */
export function compareResources(left: FindingResource, right: FindingResource): number {
  return (
    compareText(left.kind, right.kind) ||
    compareText(left.namespace ?? '', right.namespace ?? '') ||
    compareText(left.name, right.name) ||
    compareText(left.api_group ?? '', right.api_group ?? '')
  );
}

/** How many names evidence and messages show before summarising the rest as a count. */
export const LIST_LIMIT = 20;

/** `names` for a message: all of them up to {@link LIST_LIMIT}, then "and N more". */
export function listNames(names: readonly string[]): string {
  const shown = names.slice(0, LIST_LIMIT).join(', ');
  return names.length > LIST_LIMIT ? `${shown} and ${names.length - LIST_LIMIT} more` : shown;
}

/** `count` with its noun, singular or plural (`1 pod`, `3 pods`); `plural` defaults to noun + "s". */
export function countOf(count: number, noun: string, plural = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : plural}`;
}
