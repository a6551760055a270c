/**
 * The NetworkPolicy model: which traffic directions a policy isolates, which pods of its namespace it selects, which
 * of its ingress rules admit everything, and whether any engine enforces it at all.
 */
import type { EngineVerdict } from './check.js';
import { Status } from './finding.js';
import { matchesSelector, selectsEverything } from './selectors.js';
import type { KubeObject, NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort, Pod } from './snapshot.js';

/** The two traffic directions a NetworkPolicy can isolate. */
export const PolicyType = { Ingress: 'Ingress', Egress: 'Egress' } as const;
export type PolicyType = (typeof PolicyType)[keyof typeof PolicyType];

/**
 * The directions a policy isolates. Kubernetes defaulting (`SetDefaults_NetworkPolicy`): `spec.policyTypes` when it
 * is set; otherwise `Ingress` always (even for an egress-only spec), plus `Egress` only when `spec.egress` has at least
 * one rule. An empty `egress: []` adds nothing, because the API server tests `len(spec.egress) != 0`.
 */
export function effectivePolicyTypes(policy: NetworkPolicy): PolicyType[] {
  const listed = policy.spec?.policyTypes ?? [];
  if (listed.length > 0) return Object.values(PolicyType).filter((type) => listed.includes(type));
  return (policy.spec?.egress?.length ?? 0) > 0 ? [PolicyType.Ingress, PolicyType.Egress] : [PolicyType.Ingress];
}

/** The namespace of a namespaced object; Kubernetes puts objects without one in `default`. */
export function namespaceOf(object: KubeObject): string {
  return object.metadata.namespace ?? 'default';
}

/**
 * Groups objects by namespace, keeping their order. This index is what keeps evaluation linear: a policy is only ever
 * matched against the pods of its own namespace, never against every pod of the cluster.
 */
export function byNamespace<T extends KubeObject>(objects: readonly T[]): Map<string, T[]> {
  const index = new Map<string, T[]>();
  for (const object of objects) {
    const namespace = namespaceOf(object);
    const group = index.get(namespace);
    if (group) group.push(object);
    else index.set(namespace, [object]);
  }
  return index;
}

/**
 * The pods among `pods` that `policy` selects: same namespace, labels matching `spec.podSelector`. Peers (`from`,
 * `to`) play no part: they say where traffic may come from, not which pods are isolated.
 */
export function selectedPods(policy: NetworkPolicy, pods: readonly Pod[]): Pod[] {
  const namespace = namespaceOf(policy);
  return pods.filter(
    (pod) => namespaceOf(pod) === namespace && matchesSelector(policy.spec?.podSelector, pod.metadata.labels),
  );
}

/** An ingress rule that admits all traffic from everywhere, by its path in the policy (`spec.ingress[2]`). */
export interface PermissiveRule {
  rule: string;
  /** Why it admits everything, e.g. `no "from": every source is allowed`. */
  reason: string;
  /** The ports it is limited to (`TCP/80`, `UDP/53`, `TCP/8000-9000`); empty when it admits every port. */
  ports: string[];
}

function describePort({ protocol = 'TCP', port, endPort }: NetworkPolicyPort): string {
  if (port === undefined) return `${protocol}/all ports`;
  return endPort === undefined ? `${protocol}/${port}` : `${protocol}/${port}-${endPort}`;
}

// Any CIDR with prefix length 0 (0.0.0.0/0, ::/0 and their non-canonical spellings) is every address.
const EVERY_ADDRESS = /\/0+$/;

function permissivePeer(peer: NetworkPolicyPeer, index: number): string | undefined {
  if (typeof peer.ipBlock?.cidr === 'string' && EVERY_ADDRESS.test(peer.ipBlock.cidr.trim())) {
    const except = peer.ipBlock.except?.length ? ` (except ${peer.ipBlock.except.join(', ')})` : '';
    return `from[${index}] is ipBlock ${peer.ipBlock.cidr}${except}: every address is allowed`;
  }
  if (peer.namespaceSelector && selectsEverything(peer.namespaceSelector) && selectsEverything(peer.podSelector)) {
    return `from[${index}] has an empty namespaceSelector and no pod restriction: every pod of every namespace is allowed`;
  }
  return undefined;
}

/**
 * The ingress rules of `policy` that admit all traffic from everywhere: a rule with no `from` (absent or empty), or
 * with a peer of `0.0.0.0/0` / `::/0`, or with an empty namespaceSelector and no pod restriction. Ingress rules of a
 * policy that does not isolate Ingress are ignored, as Kubernetes ignores them.
 */
export function permissiveIngressRules(policy: NetworkPolicy): PermissiveRule[] {
  if (!effectivePolicyTypes(policy).includes(PolicyType.Ingress)) return [];
  return (policy.spec?.ingress ?? []).flatMap((rule, index) => {
    const peers = rule.from ?? [];
    const reason =
      peers.length === 0
        ? 'no "from": every source is allowed'
        : peers.map(permissivePeer).find((found) => found !== undefined);
    if (reason === undefined) return [];
    return [{ rule: `spec.ingress[${index}]`, reason, ports: (rule.ports ?? []).map(describePort) }];
  });
}

/** Whether NetworkPolicies are enforced at all, for the evidence and messages of the coverage checks. */
export interface Enforcement {
  /** `true` when an engine enforces policies, `false` when none does, `null` when detection could not decide. */
  enforced: boolean | null;
  /** Appended to a message that mentions policies, so a coverage PASS never reads as "protected" when it is not. */
  note: string;
}

/**
 * What the engine verdict means for the policies a coverage check reads: coverage judges policy selection (that is
 * its definition), but a reader must learn when the selected pods are not actually protected.
 */
export function policyEnforcement(engine: EngineVerdict): Enforcement {
  switch (engine.status) {
    case Status.Pass:
      return { enforced: true, note: '' };
    case Status.Fail:
      return { enforced: false, note: ' No NetworkPolicy engine enforces policies in this cluster: they are inert.' };
    default:
      return { enforced: null, note: ' Whether an engine enforces these policies is unknown (see the engine finding).' };
  }
}
