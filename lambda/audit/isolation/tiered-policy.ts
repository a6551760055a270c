/**
 * The one reading of tiered cluster policies, which every tiered API shares: the AWS ClusterNetworkPolicy, the
 * upstream AdminNetworkPolicy, BaselineAdminNetworkPolicy and v1alpha2 ClusterNetworkPolicy, and Antrea's
 * ClusterNetworkPolicy and NetworkPolicy. Each adapter reads its object into a {@link TieredPolicy} (its tier, its
 * priority, its subject, its rules in the model's actions); this module turns that into {@link PolicyFacts}. Such a
 * policy never isolates by selection: only the rules that match all pod traffic of a direction act on isolation (an
 * Admin-tier Accept defeats it, a Baseline Deny is a default deny), and an Accept of every pod is a permissive rule.
 */
import { Severity } from '../finding.js';
import { describeSelector, matchesSelector, selectsEverything } from '../selectors.js';
import type { AdminPolicyPeer, AdminPolicySubject, ClusterPolicyPort } from '../snapshot.js';
import { PolicyType } from './direction.js';
import { Tier, TierAction, type PermissiveRule, type PolicyFacts, type PolicySubject, type TierRule } from './policy-api.js';
import { Admits, EVERY_ADDRESS } from './selection.js';

/** A rule's peers match all pod traffic of its direction: what they admit (`Admits`) and why. */
export interface EveryPeer {
  admits: string;
  why: string;
}

/** One rule of a tiered policy, as the shared reading needs it. */
export interface TieredRule {
  /** Its path in the object (`spec.ingress[0]`). */
  path: string;
  direction: PolicyType;
  /** Its action in the model's terms; `undefined` for one the model does not know, which then never acts. */
  action: TierAction | undefined;
  /** The action as the object writes it (`Allow`, `Drop`), for messages. */
  written: string;
  /** Set when its peers match all pod traffic of its direction; `undefined` when they do not. */
  everyPeer: EveryPeer | undefined;
  /** The ports it is limited to (`TCP/80`); empty when it matches every port. */
  ports: string[];
  /**
   * Set when `everyPeer` is only a worst case: a peer the audit cannot resolve (an Antrea group or service account) might
   * match all traffic. The rule then acts on isolation (the policy is unreadable, so what it would decide is unknown)
   * but is never reported as a permissive rule it may not be.
   */
  unresolved?: boolean;
}

/** A tiered policy in one shape, whatever its API. */
export interface TieredPolicy {
  /** `undefined` for a tier the model cannot place: its rules then never act on isolation. */
  tier: Tier | undefined;
  /** Lower wins within a tier. */
  priority: number;
  /**
   * Rule order is precedence within the policy (upstream, Antrea): a rule after one that matches all traffic of its
   * direction on every port never sees any. The AWS agent does not encode rule order (POLICY-APIS.md §1.7).
   */
  ordered: boolean;
  subject: PolicySubject;
  rules: TieredRule[];
  evidence: Record<string, unknown>;
}

/** The rules that can act: in an ordered policy, none after the first all-traffic rule of its direction on every port. */
function reachableRules(policy: TieredPolicy): TieredRule[] {
  if (!policy.ordered) return policy.rules;
  const decided = new Set<PolicyType>();
  return policy.rules.filter((rule) => {
    if (decided.has(rule.direction)) return false;
    if (rule.everyPeer !== undefined && rule.ports.length === 0 && rule.action !== undefined) decided.add(rule.direction);
    return true;
  });
}

/** The facts of a tiered policy: no isolation by selection; its all-traffic rules; its Accepts of every pod. */
export function tieredPolicyFacts(policy: TieredPolicy): PolicyFacts {
  const { tier, priority } = policy;
  const rules = reachableRules(policy);
  const tierRules: TierRule[] = rules.flatMap(({ path, direction, action, everyPeer, ports }) =>
    tier !== undefined && everyPeer !== undefined && action !== undefined ? [{ direction, tier, priority, action, rule: path, ports }] : [],
  );
  const permissive: PermissiveRule[] = rules.flatMap(({ path, direction, action, written, everyPeer, ports, unresolved }) =>
    direction === PolicyType.Ingress && everyPeer !== undefined && action === TierAction.Accept && unresolved !== true
      ? [
          {
            rule: path,
            admits: everyPeer.admits,
            reason: `${written}: ${everyPeer.why}${tier ? ` (${tier} tier)` : ''}`,
            ports,
            ...(tier === Tier.Admin ? { severity: Severity.Medium } : {}),
          },
        ]
      : [],
  );
  return { subject: policy.subject, isolates: [], deniesByDefault: [], tierRules, permissive, evidence: policy.evidence };
}

/**
 * The subject of the AWS and upstream cluster policies: every pod of the namespaces `namespaces` selects, or the pods
 * `pods.podSelector` selects in the namespaces `pods.namespaceSelector` selects.
 */
export function clusterSubject(subject: AdminPolicySubject = {}): PolicySubject {
  const namespaceSelector = subject.pods ? subject.pods.namespaceSelector : subject.namespaces;
  const podSelector = subject.pods?.podSelector;
  const namespaces = selectsEverything(namespaceSelector) ? '{} (all namespaces)' : describeSelector(namespaceSelector);
  const chosen = (subject.pods ?? subject.namespaces) !== undefined;
  return {
    namespace: null,
    // A subject with neither field selects nothing: the CRDs require exactly one, and guessing "all" would fail open.
    selectsNamespace: (labels) => chosen && matchesSelector(namespaceSelector, labels),
    everyNamespace: chosen && selectsEverything(namespaceSelector),
    everyPod: selectsEverything(podSelector),
    selectsPod: (pod) => matchesSelector(podSelector, pod.metadata.labels),
    description: subject.pods ? `namespaces ${namespaces}, pods ${describeSelector(podSelector)}` : `namespaces ${namespaces}`,
  };
}

/** Why a peer of the AWS or upstream cluster policies matches every pod of every namespace, or `undefined`. */
export function everyPodPeer(peer: AdminPolicyPeer, index: number, side: 'from' | 'to'): EveryPeer | undefined {
  const admits = Admits.EveryPod;
  if (peer.namespaces !== undefined && selectsEverything(peer.namespaces)) return { admits, why: `${side}[${index}] selects every namespace (namespaces: {})` };
  if (peer.pods !== undefined && selectsEverything(peer.pods.namespaceSelector) && selectsEverything(peer.pods.podSelector)) {
    return { admits, why: `${side}[${index}] selects every pod of every namespace` };
  }
  const everywhere = (peer.networks ?? []).find((cidr) => EVERY_ADDRESS.test(cidr.trim()));
  return everywhere === undefined ? undefined : { admits, why: `${side}[${index}] is the network ${everywhere}: every address` };
}

/** The first of `peers` that matches every pod, by `reading`. */
export function firstEveryPeer<Peer>(peers: readonly Peer[], reading: (peer: Peer, index: number) => EveryPeer | undefined): EveryPeer | undefined {
  for (const [index, peer] of peers.entries()) {
    const every = reading(peer, index);
    if (every !== undefined) return every;
  }
  return undefined;
}

/** A port of the AWS and v1alpha1 upstream policies as messages show it: `TCP/80`, `TCP/8000-9000`, `port named http`. */
export function describeClusterPort({ portNumber, portRange, namedPort }: ClusterPolicyPort): string {
  if (portNumber) return `${portNumber.protocol ?? 'TCP'}/${portNumber.port}`;
  if (portRange) return `${portRange.protocol ?? 'TCP'}/${portRange.start}-${portRange.end}`;
  return `port named ${namedPort}`;
}

const TIERS: readonly string[] = Object.values(Tier);

/** The tier a policy writes, when it is one the model knows. */
export function tierOf(written: string | undefined): Tier | undefined {
  return TIERS.includes(written ?? '') ? (written as Tier) : undefined;
}

// A policy without a priority sorts last within its tier (the CRDs require one; this only guards odd input).
export const LOWEST_PRECEDENCE = 1000;

/** A written priority, or the lowest precedence. */
export function priorityOf(written: number | undefined): number {
  return typeof written === 'number' ? written : LOWEST_PRECEDENCE;
}
