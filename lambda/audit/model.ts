/**
 * The audit model: what the checks read, derived once per cluster from the snapshot. Built in
 * O(pods + policies × pods of their namespace): policies are indexed by namespace and only ever matched against the
 * running pods of that namespace. Excluded namespaces are left out here, so no check can report on them.
 */
import type { CheckVerdict } from './check.js';
import { Status, type AuditOptions, type FindingResource } from './finding.js';
import { compareText } from './findings.js';
import { byNamespace, effectivePolicyTypes, namespaceOf, selectedPods, type PolicyType } from './policies.js';
import { kindOfBucket } from './kinds.js';
import type { ClusterSnapshot, KubeInventory, KubeObject, NetworkPolicy, Pod } from './snapshot.js';
import { groupWorkloads, isRunning, usesHostNetwork, type Workload } from './workloads.js';

/** A NetworkPolicy of an audited namespace with what the checks ask about it. */
export interface PolicyView {
  policy: NetworkPolicy;
  namespace: string;
  name: string;
  types: PolicyType[];
  /** The running pods it selects; host-network pods are not among them, since no policy applies to them. */
  selected: Pod[];
  /** Running host-network pods its podSelector matches (reported by `dangling-policy`: they are out of its reach). */
  hostNetworkMatches: number;
}

/** The derived view of one cluster that every check reads; see {@link buildModel}. */
export interface AuditModel {
  /** The Cluster resource that cluster-level findings are about. */
  cluster: FindingResource;
  /** Audited namespaces (read Namespaces minus the excluded ones), sorted; empty when Namespaces were not read. */
  namespaces: string[];
  /** Running pods (finished ones dropped, host-network ones kept) of audited namespaces, by namespace, sorted by name. */
  podsByNamespace: Map<string, Pod[]>;
  /** NetworkPolicies of audited namespaces, by namespace, sorted by name. */
  policiesByNamespace: Map<string, PolicyView[]>;
  /** The same policies as one list. */
  policies: PolicyView[];
  /** The policies selecting each running non-host-network pod (absent: none selects it). */
  policiesSelecting: Map<Pod, PolicyView[]>;
  /** Workloads of audited namespaces with at least one running pod. */
  workloads: Workload[];
}

/** The Cluster resource of a snapshot: cluster-level findings (engine, control, missing data) are about it. */
export function clusterResource(snapshot: ClusterSnapshot): FindingResource {
  return { kind: 'Cluster', namespace: null, name: snapshot.cluster.name };
}

/** The resource of a policy's findings. */
export function policyResource(view: PolicyView): FindingResource {
  return { kind: 'NetworkPolicy', namespace: view.namespace, name: view.name };
}

function viewPolicy(policy: NetworkPolicy, pods: readonly Pod[]): PolicyView {
  const matched = selectedPods(policy, pods);
  const selected = matched.filter((pod) => !usesHostNetwork(pod));
  return {
    policy,
    namespace: namespaceOf(policy),
    name: policy.metadata.name,
    types: effectivePolicyTypes(policy),
    selected,
    hostNetworkMatches: matched.length - selected.length,
  };
}

/** Derives the {@link AuditModel} of `snapshot`, leaving out `options.excludedNamespaces`. */
export function buildModel(snapshot: ClusterSnapshot, options: AuditOptions): AuditModel {
  const excluded = new Set(options.excludedNamespaces);
  const audited = (object: KubeObject) => !excluded.has(namespaceOf(object));
  const { kube } = snapshot;

  // Sorted by name so that the pods and policies a message lists do not depend on the order of the input.
  const byName = (left: KubeObject, right: KubeObject) => compareText(left.metadata.name, right.metadata.name);
  const runningPods = (kube.pods ?? []).filter((pod) => isRunning(pod) && audited(pod)).sort(byName);
  const podsByNamespace = byNamespace(runningPods);
  const policiesByNamespace = new Map<string, PolicyView[]>();
  const policiesSelecting = new Map<Pod, PolicyView[]>();
  for (const [namespace, policies] of byNamespace((kube.networkPolicies ?? []).filter(audited).sort(byName))) {
    const views = policies.map((policy) => viewPolicy(policy, podsByNamespace.get(namespace) ?? []));
    policiesByNamespace.set(namespace, views);
    for (const view of views) {
      for (const pod of view.selected) {
        const selecting = policiesSelecting.get(pod);
        if (selecting) selecting.push(view);
        else policiesSelecting.set(pod, [view]);
      }
    }
  }

  return {
    cluster: clusterResource(snapshot),
    namespaces: (kube.namespaces ?? [])
      .map((namespace) => namespace.metadata.name)
      .filter((name) => !excluded.has(name))
      .sort(),
    podsByNamespace,
    policiesByNamespace,
    policies: [...policiesByNamespace.values()].flat(),
    policiesSelecting,
    workloads: groupWorkloads(runningPods, kube),
  };
}

/** The Kubernetes kinds a check may need. */
export type KubeKind = keyof KubeInventory;


/**
 * The one UNKNOWN verdict (on the Cluster resource) of a check whose input was not read, or `undefined` when every
 * kind in `needs` was read. Missing data is never a PASS. The reason and remediation come from the snapshot's
 * collection problem for that kind when there is one (e.g. a 403), and a `cluster` problem (API unreachable, 401,
 * cluster not ACTIVE) makes every check that needs in-cluster data UNKNOWN with that problem's words.
 */
export function unreadInputVerdict(snapshot: ClusterSnapshot, needs: readonly KubeKind[]): CheckVerdict | undefined {
  if (needs.length === 0) return undefined;
  const resource = clusterResource(snapshot);
  const clusterProblem = snapshot.problems.find((problem) => problem.kind === 'cluster');
  if (clusterProblem) {
    return {
      status: Status.Unknown,
      resource,
      message: `Not evaluated: the Kubernetes API of cluster ${resource.name} could not be read (${clusterProblem.reason}).`,
      ...(clusterProblem.remediation ? { remediation: clusterProblem.remediation } : {}),
      evidence: { missing: [...needs], reason: clusterProblem.reason },
    };
  }
  const missing = needs.filter((kind) => snapshot.kube[kind] === undefined);
  if (missing.length === 0) return undefined;
  const problems = missing.map((kind) => snapshot.problems.find((problem) => problem.kind === kind));
  const reasons = missing.map((kind, index) => {
    const reason = problems[index]?.reason;
    return `${kindOfBucket(kind).label} were not read${reason ? ` (${reason})` : ''}`;
  });
  const resources = missing.map((kind) => kindOfBucket(kind).plural).join(',');
  const remediations = problems.flatMap((problem) => (problem?.remediation ? [problem.remediation] : []));
  return {
    status: Status.Unknown,
    resource,
    message: `Not evaluated: ${reasons.join('; ')}.`,
    remediation:
      remediations.length > 0
        ? remediations.join(' ')
        : `Include ${resources} in the input (kubectl get ${resources} -A -o json), or grant the auditor "list" on ${resources} at cluster scope, and audit again.`,
    evidence: { missing, reasons },
  };
}
