/**
 * Tiny builders for the audit engine's unit tests: Kubernetes objects as `kubectl get -o json` shows them, snapshots,
 * engine verdicts and a ready audit context, so each test states only what it is about.
 */
import type { AuditContext } from '../../lambda/audit/check.js';
import { EngineName, type EngineVerdict } from '../../lambda/audit/engines/engine-verdict.js';
import { DEFAULT_EXCLUDED_NAMESPACES, Status, type AuditOptions, type CheckId, type Finding } from '../../lambda/audit/finding.js';
import { auditSnapshot } from '../../lambda/audit/index.js';
import { buildModel } from '../../lambda/audit/model.js';
import type {
  ClusterSnapshot,
  Job,
  KubeInventory,
  Namespace,
  NetworkPolicy,
  Node,
  OwnerReference,
  Pod,
  PodSpec,
  ReplicaSet,
} from '../../lambda/audit/snapshot.js';

/** An active Namespace. */
export function namespace(name: string): Namespace {
  return { kind: 'Namespace', metadata: { name }, status: { phase: 'Active' } };
}

/** What a test may set on a pod; the rest is a plain running Linux pod. */
export interface PodOptions {
  labels?: Record<string, string>;
  owner?: OwnerReference;
  phase?: string;
  spec?: PodSpec;
}

/** A pod on a Linux node, Running unless `options.phase` says otherwise. */
export function pod(namespaceName: string, name: string, options: PodOptions = {}): Pod {
  return {
    kind: 'Pod',
    metadata: {
      name,
      namespace: namespaceName,
      ...(options.labels ? { labels: options.labels } : {}),
      ...(options.owner ? { ownerReferences: [options.owner] } : {}),
    },
    spec: { nodeName: 'ip-10-0-1-23.eu-west-1.compute.internal', containers: [{ name: 'app' }], ...options.spec },
    status: { phase: options.phase ?? 'Running' },
  };
}

/** An ownerReference marked as the controller, as controllers write them. */
export function ownedBy(kind: string, name: string): OwnerReference {
  return { apiVersion: 'apps/v1', kind, name, controller: true };
}

/** A ReplicaSet, owned (by a Deployment) when `owner` is given. */
export function replicaSet(namespaceName: string, name: string, owner?: OwnerReference): ReplicaSet {
  return { kind: 'ReplicaSet', metadata: { name, namespace: namespaceName, ...(owner ? { ownerReferences: [owner] } : {}) } };
}

/** A Job, owned (by a CronJob) when `owner` is given. */
export function job(namespaceName: string, name: string, owner?: OwnerReference): Job {
  return { kind: 'Job', metadata: { name, namespace: namespaceName, ...(owner ? { ownerReferences: [owner] } : {}) } };
}

/** A NetworkPolicy; by default `podSelector: {}` with nothing else (an Ingress default deny). */
export function policy(namespaceName: string, name: string, spec: NetworkPolicy['spec'] = { podSelector: {} }): NetworkPolicy {
  return { kind: 'NetworkPolicy', metadata: { name, namespace: namespaceName }, spec };
}

/** A Node with labels (e.g. `kubernetes.io/os`). */
export function node(name: string, labels: Record<string, string>): Node {
  return { kind: 'Node', metadata: { name, labels } };
}

/** The ARN of the test cluster `prod-eu`. */
export const CLUSTER_ARN = 'arn:aws:eks:eu-west-1:123456789012:cluster/prod-eu';

/** A snapshot of cluster `prod-eu` with the given inventory and no collection problem unless `extra` adds one. */
export function snapshot(kube: KubeInventory, extra: Partial<ClusterSnapshot> = {}): ClusterSnapshot {
  return { cluster: { name: 'prod-eu', arn: CLUSTER_ARN, region: 'eu-west-1' }, kube, problems: [], ...extra };
}

/** The options of a test run: fixed run id and time, default exclusions unless given. */
export function options(excludedNamespaces: readonly string[] = DEFAULT_EXCLUDED_NAMESPACES): AuditOptions {
  return { runId: 'run-1', observedAt: new Date('2025-06-02T06:00:00.000Z'), excludedNamespaces };
}

/** An engine verdict as `detectEngine` would give it, built by hand so the checks are tested on their own. */
export function engine(status: Status, enforcing: EngineName[] = []): EngineVerdict {
  return { status, enforcing, message: `engine ${status}`, evidence: {}, agents: [] };
}

/** The verdict of a cluster whose VPC CNI enforces NetworkPolicy. */
export const VPC_CNI_ENFORCING = (): EngineVerdict => engine(Status.Pass, [EngineName.VpcCni]);

/** The context a check receives, with the model built by the real `buildModel`. */
export function context(
  snap: ClusterSnapshot,
  engineVerdict: EngineVerdict = VPC_CNI_ENFORCING(),
  excludedNamespaces: readonly string[] = DEFAULT_EXCLUDED_NAMESPACES,
): AuditContext {
  const auditOptions = options(excludedNamespaces);
  return { snapshot: snap, options: auditOptions, model: buildModel(snap, auditOptions, engineVerdict), engine: engineVerdict };
}

/** The findings one check gives through the real runner (`auditSnapshot`), e.g. to see its UNKNOWN on missing data. */
export function findingsOf(checkId: CheckId, snap: ClusterSnapshot, excludedNamespaces?: readonly string[]): Finding[] {
  return auditSnapshot(snap, options(excludedNamespaces)).filter((finding) => finding.check_id === checkId);
}
