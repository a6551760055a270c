/**
 * The audit model: what the checks read, derived once per cluster from the snapshot and the engine verdict. Every
 * policy API is read through its adapter (isolation/apis.ts) into views, and every running pod gets its isolation per
 * direction (isolation/decision.ts). Built in O(pods + policies × pods of their namespaces): namespaced policies are
 * indexed by namespace and matched only against the running pods of theirs; cluster-scoped ones are matched against
 * namespace labels first. Excluded namespaces are left out here, so no check can report on them.
 */
import type { EngineVerdict } from './engines/engine-verdict.js';
import type { AuditOptions, FindingResource } from './finding.js';
import { compareText, countOf } from './findings.js';
import { kindOfBucket, kindTitle } from './kinds.js';
import { byNamespace, namespaceLabels, namespaceOf } from './objects.js';
import type { ClusterSnapshot, KubeObject, Namespace, Pod } from './snapshot.js';
import { POLICY_APIS } from './isolation/apis.js';
import { ciliumDefaultDeny } from './isolation/cilium/default-deny.js';
import { ciliumEndpointReview, type EndpointReview } from './isolation/cilium/endpoints.js';
import {
  decideNamespaceUnsure,
  decideUnsure,
  type Applicable,
  type AppliedTierRule,
  type DefaultDeny,
  type Isolation,
  type NamespaceIsolation,
} from './isolation/decision.js';
import { defaultDenyModes } from './engines/vpc-cni/default-deny-modes.js';
import { DIRECTIONS, type PolicyType } from './isolation/direction.js';
import { copiedApiRead, enforcementOf } from './isolation/enforcement.js';
import { indexEndpoints, type EndpointIndex } from './isolation/policy-endpoints.js';
import { Enforcement, isUnsure, type PolicyApi, type PolicyFacts, type PolicyView } from './isolation/policy-api.js';
import { distinct, listOf } from './engines/wording.js';
import { engineGates, type EngineGates } from './engines/engine-versions.js';
import { groupWorkloads, isRunning, usesHostNetwork, type Workload } from './workloads.js';

/** A pod's isolation in each direction. */
export type PodIsolation = Record<PolicyType, Isolation>;

/** The derived view of one cluster that every check reads; see {@link buildModel}. */
export interface AuditModel {
  /** The Cluster resource that cluster-level findings are about. */
  cluster: FindingResource;
  /** Audited namespaces (read Namespaces minus the excluded ones), sorted; empty when Namespaces were not read. */
  namespaces: string[];
  /** Running pods (finished ones dropped, host-network ones kept) of audited namespaces, by namespace, sorted by name. */
  podsByNamespace: Map<string, Pod[]>;
  /** Namespaced policies of every API in audited namespaces, by namespace, sorted by kind and name. */
  policiesByNamespace: Map<string, PolicyView[]>;
  /** Every policy: the namespaced ones of audited namespaces, then the cluster-scoped ones. */
  policies: PolicyView[];
  /**
   * The policies selecting each running non-host-network pod by selector, counted or not (absent: none selects it):
   * the namespace policies, and the cluster-scoped ones that isolate by selection (CiliumClusterwideNetworkPolicy,
   * GlobalNetworkPolicy).
   */
  policiesSelecting: Map<Pod, PolicyView[]>;
  /** The policies of any scope that select each running non-host-network pod but do not count (see `counts`). */
  uncountedSelecting: Map<Pod, PolicyView[]>;
  /** The directions a policy selecting `pod` isolates for it (a Cilium policy's rules may differ per pod). */
  isolatesPod(view: PolicyView, pod: Pod): readonly PolicyType[];
  /** The isolation of each running non-host-network pod of an audited namespace. */
  isolation: Map<Pod, PodIsolation>;
  /** The isolation of each audited namespace (and of each namespace with running pods). */
  namespaceIsolation: Map<string, Record<PolicyType, NamespaceIsolation>>;
  /** The policies the audit cannot read (see `PolicyFacts.unreadable`): the audit is incomplete when there is one. */
  unreadable: PolicyView[];
  /** Workloads of audited namespaces with at least one running pod. */
  workloads: Workload[];
  /** The default-deny settings the engines honour, for evidence. */
  defaultDenyEvidence: Record<string, unknown>;
}

/** The Cluster resource of a snapshot: cluster-level findings (engine, control, missing data) are about it. */
export function clusterResource(snapshot: ClusterSnapshot): FindingResource {
  return { kind: 'Cluster', namespace: null, name: snapshot.cluster.name };
}

// Sorted by name so that the pods and policies a message lists do not depend on the order of the input.
const byName = (left: KubeObject, right: KubeObject) => compareText(left.metadata.name, right.metadata.name);

/** What reading a policy needs besides the policy: the engine verdict and the endpoint evidence. */
interface ViewContext {
  engine: EngineVerdict;
  endpoints: EndpointIndex;
  gates: EngineGates;
}

function viewPolicy(api: PolicyApi, object: KubeObject, facts: PolicyFacts, matched: readonly Pod[], context: ViewContext): PolicyView {
  const spec = kindOfBucket(api.bucket);
  const namespace = spec.namespaced ? namespaceOf(object) : null;
  const name = object.metadata.name;
  const selected = matched.filter((pod) => !usesHostNetwork(pod));
  const enforced = enforcementOf(api, spec, { namespace, name, selected: selected.length, rejected: facts.rejected }, context.engine, context.endpoints, context.gates);
  // A policy the audit cannot read is unsure where it would count: what it would decide becomes unknown.
  const { enforcement, reason, counts } =
    facts.unreadable !== undefined && enforced.counts ? { enforcement: Enforcement.Unknown, reason: facts.unreadable, counts: false } : enforced;
  return {
    ...facts,
    api,
    // A CRD's kind may be another API's kind too (three APIs define ClusterNetworkPolicy): its group says which.
    resource: { kind: spec.kind, namespace, name, ...(spec.builtIn ? {} : { api_group: spec.group }) },
    title: `${kindTitle(spec)} ${namespace === null ? name : `${namespace}/${name}`}`,
    name,
    selected,
    hostNetworkMatches: matched.length - selected.length,
    enforcement,
    enforcementReason: reason,
    counts,
  };
}

/** A pod of `namespace` with no labels of its own: what a future pod there shows a selector at the least. */
function unlabelledPod(namespace: string): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: '', namespace } };
}

/** Appends `value` to the list of `key`. */
function push<K, V>(index: Map<K, V[]>, key: K, value: V): void {
  const list = index.get(key);
  if (list) list.push(value);
  else index.set(key, [value]);
}

/** Derives the {@link AuditModel} of `snapshot`, leaving out `options.excludedNamespaces`. */
export function buildModel(snapshot: ClusterSnapshot, options: AuditOptions, engine: EngineVerdict): AuditModel {
  const excluded = new Set(options.excludedNamespaces);
  const audited = (object: KubeObject) => !excluded.has(namespaceOf(object));
  const { kube } = snapshot;
  const context: ViewContext = { engine, endpoints: indexEndpoints(kube, snapshot.servedKinds), gates: engineGates(snapshot) };

  const runningPods = (kube.pods ?? []).filter((pod) => isRunning(pod) && audited(pod)).sort(byName);
  const podsByNamespace = byNamespace(runningPods);
  const namespaceObjects = new Map<string, Namespace>((kube.namespaces ?? []).map((namespace) => [namespace.metadata.name, namespace]));
  const namespaces = [...namespaceObjects.keys()].filter((name) => !excluded.has(name)).sort();
  // Cluster-scoped policies reach pods through their namespace: every audited namespace, read or known from its pods.
  const reachable = [...new Set([...namespaces, ...podsByNamespace.keys()])].sort();
  const labelsByNamespace = new Map(reachable.map((name) => [name, namespaceLabels(name, namespaceObjects.get(name))]));
  const labelsOf = (name: string) => labelsByNamespace.get(name) ?? namespaceLabels(name, namespaceObjects.get(name));

  const policiesByNamespace = new Map<string, PolicyView[]>();
  const clusterPolicies: PolicyView[] = [];
  const policiesSelecting = new Map<Pod, PolicyView[]>();
  const uncountedSelecting = new Map<Pod, PolicyView[]>();
  const tierRulesOf = new Map<Pod, AppliedTierRule[]>();
  const namespaceTierRules = new Map<string, AppliedTierRule[]>();
  // Cluster-scoped policies that isolate by selection (CiliumClusterwideNetworkPolicy), per namespace they isolate in.
  const namespaceClusterPolicies = new Map<string, PolicyView[]>();
  // Rules on every pod of a namespace are kept once per namespace, so a cluster-wide subject costs no per-pod list. An
  // unsure policy's rules are kept: decisions they would change become unknown (isolation/decision.ts).
  const applyTierRules = (view: PolicyView, applied: readonly string[]) => {
    if (!view.counts && !isUnsure(view)) return;
    for (const rule of view.tierRules) {
      if (view.subject.everyPod) for (const name of applied) push(namespaceTierRules, name, { view, rule });
      else for (const pod of view.selected) push(tierRulesOf, pod, { view, rule });
    }
  };
  // A cluster-scoped policy isolates in a namespace it selects pods of, or whose pods it would select by their
  // namespace alone (a pod without labels there matches: `projectcalico.org/namespace == "shop"`, `all()`).
  const isolatesIn = (name: string, view: PolicyView, facts: PolicyFacts) =>
    view.selected.some((pod) => namespaceOf(pod) === name) || facts.subject.selectsPod(unlabelledPod(name), labelsOf(name));
  for (const api of POLICY_APIS) {
    // Stored copies count only where what they copy was not read; mirrors of another API's objects never do.
    if (copiedApiRead(api, snapshot)) continue;
    const objects = ([...(kube[api.bucket] ?? [])] as KubeObject[]).filter((object) => !api.isCopy?.(object)).sort(byName);
    if (kindOfBucket(api.bucket).namespaced) {
      for (const object of objects.filter(audited)) {
        const facts = api.read(object as never, kube);
        const namespace = namespaceOf(object);
        const pods = podsByNamespace.get(namespace) ?? [];
        const labels = labelsOf(namespace);
        const view = viewPolicy(api, object, facts, pods.filter((pod) => facts.subject.selectsPod(pod, labels)), context);
        push(policiesByNamespace, namespace, view);
        if (!view.counts) for (const pod of view.selected) push(uncountedSelecting, pod, view);
        // A tiered namespaced policy (Antrea's) acts through its rules alone; it never selects as a namespace policy.
        if (api.tiered) applyTierRules(view, [namespace]);
        else for (const pod of view.selected) push(policiesSelecting, pod, view);
      }
      continue;
    }
    for (const object of objects) {
      const facts = api.read(object as never, kube);
      const applied = reachable.filter((name) => facts.subject.selectsNamespace(labelsOf(name)));
      const matched = applied.flatMap((name) => (podsByNamespace.get(name) ?? []).filter((pod) => facts.subject.selectsPod(pod, labelsOf(name))));
      const view = viewPolicy(api, object, facts, matched, context);
      clusterPolicies.push(view);
      if (facts.isolates.length > 0) {
        for (const pod of view.selected) push(policiesSelecting, pod, view);
        // It counts for a namespace where it selects every pod, or some pod, running or future.
        const isolatedIn = view.subject.everyPod ? applied : applied.filter((name) => isolatesIn(name, view, facts));
        if (view.counts || isUnsure(view)) for (const name of isolatedIn) push(namespaceClusterPolicies, name, view);
      }
      if (!view.counts) for (const pod of view.selected) push(uncountedSelecting, pod, view);
      applyTierRules(view, applied);
    }
  }

  const modes = defaultDenies(snapshot, engine);
  const review = ciliumEndpointReview(kube, snapshot.servedKinds, engine);
  const isolatesPod = (view: PolicyView, pod: Pod) => view.isolatesPod?.(pod, labelsOf(namespaceOf(pod))) ?? view.isolates;
  const isolation = podIsolation(runningPods, {
    policiesSelecting,
    isolatesPod,
    tierRulesOf: (pod) => [...(namespaceTierRules.get(namespaceOf(pod)) ?? []), ...(tierRulesOf.get(pod) ?? [])],
    modes,
    review,
  });
  const policies = [...[...policiesByNamespace.values()].flat(), ...clusterPolicies];
  return {
    cluster: clusterResource(snapshot),
    namespaces,
    podsByNamespace,
    policiesByNamespace,
    policies,
    policiesSelecting,
    uncountedSelecting,
    isolatesPod,
    isolation,
    namespaceIsolation: new Map(
      reachable.map((name) => [
        name,
        withNodeClassDefaults(
          namespaceIsolation(
            // Tiered namespaced policies act through the tier rules; only policies that select as such are the namespace's.
            [...(policiesByNamespace.get(name) ?? []).filter((view) => view.api.tiered !== true), ...(namespaceClusterPolicies.get(name) ?? [])],
            namespaceTierRules.get(name) ?? [],
            modes,
          ),
          podsByNamespace.get(name) ?? [],
          isolation,
          modes,
        ),
      ]),
    ),
    workloads: groupWorkloads(runningPods, kube),
    unreadable: policies.filter((view) => view.unreadable !== undefined),
    defaultDenyEvidence: modes.evidence,
  };
}

/** The unsure policies among `views` (see `isUnsure`), each as `title: reason`. */
function unsureClauses(views: readonly PolicyView[]): string[] {
  return distinct(views.filter(isUnsure).map((view) => `${view.title}: ${view.enforcementReason}`));
}

/** The reason of the unsure sources, or `undefined` when there are none. */
function unsureReason(clauses: readonly string[]): string | undefined {
  return clauses.length > 0 ? clauses.join('; ') : undefined;
}

/** The default-deny settings in force: Cilium's `always` holds whatever selects a pod; the VPC CNI's are lifted by selection. */
interface DefaultDenies {
  cluster?: DefaultDeny;
  /** Strict mode when it is set but the VPC CNI's version cannot tell whether it is in force. */
  unsure?: { defaultDeny: DefaultDeny; reason: string };
  forPod(pod: Pod): DefaultDeny | undefined;
  /** The DefaultDeny NodeClass of `pod`'s node, when one is in force (see `withNodeClassDefaults`). */
  nodeClassOf(pod: Pod): string | undefined;
  evidence: Record<string, unknown>;
}

function defaultDenies(snapshot: ClusterSnapshot, engine: EngineVerdict): DefaultDenies {
  const vpcCni = defaultDenyModes(snapshot, engine);
  const cilium = ciliumDefaultDeny(snapshot, engine);
  const lifted = (clause: string | undefined): DefaultDeny | undefined => (clause === undefined ? undefined : { clause, liftedBySelection: true });
  const cluster = cilium.defaultDeny ?? lifted(vpcCni.cluster);
  return {
    ...(cluster ? { cluster } : {}),
    ...(vpcCni.unsure ? { unsure: { defaultDeny: { clause: vpcCni.unsure.clause, liftedBySelection: true }, reason: vpcCni.unsure.reason } } : {}),
    forPod: (pod) => cilium.defaultDeny ?? lifted(vpcCni.forPod(pod)),
    nodeClassOf: vpcCni.nodeClassOf,
    evidence: { ...vpcCni.evidence, ...cilium.evidence },
  };
}

/** What the per-pod decision reads besides the pod. */
interface PodContext {
  policiesSelecting: ReadonlyMap<Pod, PolicyView[]>;
  tierRulesOf: (pod: Pod) => AppliedTierRule[];
  isolatesPod: (view: PolicyView, pod: Pod) => readonly PolicyType[];
  modes: DefaultDenies;
  review: EndpointReview;
}

function podIsolation(pods: readonly Pod[], context: PodContext): Map<Pod, PodIsolation> {
  const isolation = new Map<Pod, PodIsolation>();
  for (const pod of pods) {
    if (usesHostNetwork(pod)) continue;
    const selecting = context.policiesSelecting.get(pod) ?? [];
    const tierRules = context.tierRulesOf(pod);
    const defaultDeny = context.modes.forPod(pod);
    const directionsOf = (view: PolicyView) => context.isolatesPod(view, pod);
    const sure: Applicable = { selecting: selecting.filter((view) => view.counts), directionsOf, tierRules: tierRules.filter(({ view }) => view.counts), defaultDeny };
    const strict = defaultDeny === undefined ? context.modes.unsure : undefined;
    const reason = unsureReason([...unsureClauses([...selecting, ...tierRules.map(({ view }) => view)]), ...(strict ? [strict.reason] : [])]);
    const unsure = reason === undefined ? undefined : {
      inputs: { selecting: selecting.filter((view) => view.counts || isUnsure(view)), directionsOf, tierRules, defaultDeny: defaultDeny ?? strict?.defaultDeny },
      reason,
    };
    const [ingress, egress] = DIRECTIONS.map((direction) => context.review(pod, direction, decideUnsure(direction, sure, unsure)));
    isolation.set(pod, { Ingress: ingress, Egress: egress });
  }
  return isolation;
}

function namespaceIsolation(
  views: readonly PolicyView[],
  tierRules: readonly AppliedTierRule[],
  modes: DefaultDenies,
): Record<PolicyType, NamespaceIsolation> {
  const sure = { policies: views.filter((view) => view.counts), tierRules: tierRules.filter(({ view }) => view.counts), defaultDeny: modes.cluster };
  const strict = modes.cluster === undefined ? modes.unsure : undefined;
  const reason = unsureReason([...unsureClauses([...views, ...tierRules.map(({ view }) => view)]), ...(strict ? [strict.reason] : [])]);
  const unsure = reason === undefined ? undefined : {
    inputs: { policies: views.filter((view) => view.counts || isUnsure(view)), tierRules, defaultDeny: modes.cluster ?? strict?.defaultDeny },
    reason,
  };
  const [ingress, egress] = DIRECTIONS.map((direction) => decideNamespaceUnsure(direction, sure, unsure));
  return { Ingress: ingress, Egress: egress };
}

/**
 * A namespace that nothing isolates as a whole, but whose running pods are all isolated for a direction with a
 * NodeClass default deny among the reasons: isolated for its running pods only (DESIGN: the namespace's pods are
 * isolated by default), which `namespace-coverage` counts and `default-deny` does not, since a pod started on a node
 * of another NodeClass would not be denied by default.
 */
function withNodeClassDefaults(
  namespace: Record<PolicyType, NamespaceIsolation>,
  pods: readonly Pod[],
  isolation: ReadonlyMap<Pod, PodIsolation>,
  modes: DefaultDenies,
): Record<PolicyType, NamespaceIsolation> {
  const reached = pods.filter((pod) => !usesHostNetwork(pod));
  if (reached.length === 0) return namespace;
  const [ingress, egress] = DIRECTIONS.map((direction) => {
    const decided = namespace[direction];
    if (decided.isolatedBy.length > 0 || decided.open !== undefined || decided.isolationUnknown !== undefined) return decided;
    const pods = reached.map((pod) => ({ pod, isolation: isolation.get(pod)?.[direction] }));
    if (!pods.every(({ isolation }) => isolation?.isolated === true)) return decided;
    // A pod denied by its NodeClass is summed up by class; one isolated otherwise keeps its own reasons.
    const byNodeClass = pods.filter(({ pod, isolation }) => modes.nodeClassOf(pod) !== undefined && isolation?.by[0] === modes.forPod(pod)?.clause);
    if (byNodeClass.length === 0) return decided;
    const classes = distinct(byNodeClass.map(({ pod }) => modes.nodeClassOf(pod) ?? ''));
    const others = distinct(pods.filter((entry) => !byNodeClass.includes(entry)).flatMap(({ isolation }) => isolation?.by ?? []));
    const nodeClass = `denied by default on their nodes: NodeClass ${listOf(classes)} (networkPolicy: DefaultDeny), for ${countOf(byNodeClass.length, 'running pod')}`;
    return { ...decided, runningPodsOnly: [nodeClass, ...others] };
  });
  return { Ingress: ingress, Egress: egress };
}
