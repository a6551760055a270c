/**
 * The selection and rule readings shared by the APIs that copy core NetworkPolicy's shape (NetworkPolicy,
 * ApplicationNetworkPolicy): a namespaced podSelector, ingress rules of core peers, and default denies.
 */
import { namespaceOf } from '../objects.js';
import { describeSelector, matchesSelector, selectsEverything } from '../selectors.js';
import type { KubeObject, LabelSelector, NetworkPolicyIngressRule, NetworkPolicyPeer, NetworkPolicyPort } from '../snapshot.js';
import { PolicyType } from './direction.js';
import type { PermissiveRule, PolicyFacts, PolicySubject } from './policy-api.js';

/** The subject of a namespaced policy: the pods of its own namespace that its podSelector matches. */
function namespacedSubject(policy: KubeObject, podSelector: LabelSelector | undefined): PolicySubject {
  return {
    namespace: namespaceOf(policy),
    selectsNamespace: () => false,
    everyNamespace: false,
    everyPod: selectsEverything(podSelector),
    selectsPod: (pod) => matchesSelector(podSelector, pod.metadata.labels),
    description: describeSelector(podSelector),
  };
}

/** The spec of an API of NetworkPolicy's shape: a podSelector, core-shaped ingress rules, egress rules. */
export interface SelectionSpec {
  podSelector?: LabelSelector;
  ingress?: NetworkPolicyIngressRule[];
  egress?: readonly unknown[];
}

/** The facts of a policy of NetworkPolicy's shape that isolates `isolates` (as its API reads its policyTypes). */
export function selectionPolicyFacts(policy: KubeObject, spec: SelectionSpec, isolates: PolicyType[]): PolicyFacts {
  return {
    subject: namespacedSubject(policy, spec.podSelector),
    isolates,
    deniesByDefault: defaultDenials(spec.podSelector, isolates, spec),
    tierRules: [],
    permissive: permissiveIngressRules(spec.ingress, isolates),
    evidence: { policy_types: isolates },
  };
}

/** A port as messages show it: `TCP/80`, `TCP/8000-9000`, `UDP/all ports`. */
export function describePort({ protocol = 'TCP', port, endPort }: NetworkPolicyPort): string {
  if (port === undefined) return `${protocol}/all ports`;
  return endPort === undefined ? `${protocol}/${port}` : `${protocol}/${port}-${endPort}`;
}

/** What a rule admits when its source is every address, and when it is every pod of every namespace. */
export const Admits = {
  Everywhere: 'all traffic from everywhere',
  EveryPod: 'traffic from every pod of every namespace',
} as const;

/** Any CIDR with prefix length 0 (0.0.0.0/0, ::/0 and their non-canonical spellings) is every address, pods included. */
export const EVERY_ADDRESS = /\/0+$/;

/** What a peer of core NetworkPolicy's shape admits when it admits every address or every pod of every namespace. */
export function permissivePeer(peer: NetworkPolicyPeer, index: number): Pick<PermissiveRule, 'admits' | 'reason'> | undefined {
  if (typeof peer.ipBlock?.cidr === 'string' && EVERY_ADDRESS.test(peer.ipBlock.cidr.trim())) {
    const except = peer.ipBlock.except?.length ? ` (except ${peer.ipBlock.except.join(', ')})` : '';
    return { admits: Admits.Everywhere, reason: `from[${index}] is ipBlock ${peer.ipBlock.cidr}${except}: every address is allowed` };
  }
  if (peer.namespaceSelector && selectsEverything(peer.namespaceSelector) && selectsEverything(peer.podSelector)) {
    return {
      admits: Admits.EveryPod,
      reason: `from[${index}] has an empty namespaceSelector and no pod restriction: every pod of every namespace is allowed`,
    };
  }
  return undefined;
}

/**
 * The ingress rules that admit all traffic of a wide class: a rule with no `from` (absent or empty) admits everything,
 * a peer of `0.0.0.0/0` / `::/0` every address, an empty namespaceSelector with no pod restriction every pod of every
 * namespace. Rules of a policy that does not isolate Ingress are ignored, as the engines ignore them.
 */
function permissiveIngressRules(
  rules: readonly NetworkPolicyIngressRule[] | undefined,
  isolates: readonly PolicyType[],
): PermissiveRule[] {
  if (!isolates.includes(PolicyType.Ingress)) return [];
  return (rules ?? []).flatMap((rule, index) => {
    const peers = rule.from ?? [];
    const found =
      peers.length === 0
        ? { admits: Admits.Everywhere, reason: 'no "from": every source is allowed' }
        : peers.map(permissivePeer).find((admitted) => admitted !== undefined);
    if (found === undefined) return [];
    return [{ rule: `spec.ingress[${index}]`, ...found, ports: (rule.ports ?? []).map(describePort) }];
  });
}

/**
 * The directions a policy denies to every pod of its namespace: an empty podSelector, the direction isolated, and no
 * rule for it (`podSelector: {}` with `ingress: [{}]` selects every pod and then allows everything).
 */
function defaultDenials(
  podSelector: LabelSelector | undefined,
  isolates: readonly PolicyType[],
  rules: { ingress?: readonly unknown[]; egress?: readonly unknown[] },
): PolicyType[] {
  if (!selectsEverything(podSelector)) return [];
  return isolates.filter((direction) => ((direction === PolicyType.Ingress ? rules.ingress : rules.egress) ?? []).length === 0);
}
