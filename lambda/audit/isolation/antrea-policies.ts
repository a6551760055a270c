/**
 * Antrea's own policies (`crd.antrea.io`, POLICY-APIS.md §5): ClusterNetworkPolicy (cluster-scoped) and NetworkPolicy
 * (namespaced). "There is no automatic isolation of Pods on being selected in appliedTo": they are tiered, ordered
 * rules with explicit actions, read by the shared tiered-policy reading. The tiers before Kubernetes NetworkPolicy
 * (emergency, securityops, networkops, platform, application — the default) are the model's Admin tier, ordered by
 * tier then priority; `baseline` is its Baseline tier, so a baseline `Drop` from everything is a default deny for the
 * pods no namespace policy selects, and an `Allow` of everything in an earlier tier defeats isolation. Enforced by
 * Antrea whenever its agent runs.
 */
import { EngineName } from '../engines/engine-verdict.js';
import { describeSelector, matchesSelector, selectsEverything } from '../selectors.js';
import type { AntreaPeer, AntreaPolicySpec, AntreaRule, KubeObject } from '../snapshot.js';
import { namespaceOf } from '../objects.js';
import { PolicyType } from './direction.js';
import { Tier, TierAction, type PolicyApi, type PolicyFacts, type PolicySubject } from './policy-api.js';
import { Admits, describePort, permissivePeer } from './selection.js';
import { firstEveryPeer, tieredPolicyFacts, type EveryPeer, type TieredRule } from './tiered-policy.js';

const ACTIONS: Readonly<Record<string, TierAction>> = { Allow: TierAction.Accept, Drop: TierAction.Deny, Reject: TierAction.Deny, Pass: TierAction.Pass };

// Antrea's static tiers and their priorities (lower first); a custom tier's priority is in its Tier object, not read.
const ADMIN_TIERS: Readonly<Record<string, number>> = { emergency: 50, securityops: 100, networkops: 150, platform: 200, application: 250 };
const BASELINE_TIER = 'baseline';
const DEFAULT_TIER = 'application';
// Policy priorities run 1.0–10000.0 within a tier; tiers order first, so a tier's priorities stay below the next's.
const TIER_SPAN = 100_000;
const DEFAULT_PRIORITY = 10_000;

/** The model's tier and priority of an Antrea policy; no tier for a custom tier (its order is not read). */
function placeOf(spec: AntreaPolicySpec): { tier: Tier | undefined; priority: number } {
  const name = (spec.tier ?? DEFAULT_TIER).toLowerCase();
  const priority = typeof spec.priority === 'number' ? spec.priority : DEFAULT_PRIORITY;
  if (name === BASELINE_TIER) return { tier: Tier.Baseline, priority };
  const tierPriority = ADMIN_TIERS[name];
  return tierPriority === undefined ? { tier: undefined, priority } : { tier: Tier.Admin, priority: tierPriority * TIER_SPAN + priority };
}

/** A peer or appliedTo entry the audit can resolve: pod and namespace selectors only (not a group, a service account…). */
function modeled(entry: AntreaPeer): boolean {
  return Object.keys(entry).every((field) => field === 'podSelector' || field === 'namespaceSelector' || field === 'ipBlock');
}

/** Where the policy applies: its `appliedTo`, or, when only its rules name one each, the union of theirs. */
function appliedToOf(spec: AntreaPolicySpec): { entries: AntreaPeer[]; perRule: boolean } {
  if (spec.appliedTo !== undefined) return { entries: spec.appliedTo, perRule: false };
  const rules = [...(spec.ingress ?? []), ...(spec.egress ?? [])];
  return { entries: rules.flatMap((rule) => rule.appliedTo ?? []), perRule: true };
}

/**
 * The subject of an Antrea policy: the union of its appliedTo entries. On a cluster policy an entry selects pods by
 * namespaceSelector AND podSelector (either absent: all); on a namespaced one, pods of its namespace by podSelector.
 * An entry the audit cannot resolve (a group, a service account) might select any pod of its scope: the policy is then
 * unreadable (see `antreaPolicyFacts`), and its subject answers "might select" for every such pod, so what the policy
 * would decide for them is unknown, never guessed either way.
 */
function antreaSubject(entries: readonly AntreaPeer[], namespace: string | null): PolicySubject {
  const known = entries.filter((entry) => modeled(entry) && entry.ipBlock === undefined);
  const unresolved = entries.some((entry) => !modeled(entry));
  const inNamespace = (entry: AntreaPeer, labels: Record<string, string>) => namespace !== null || matchesSelector(entry.namespaceSelector, labels);
  const describe = (entry: AntreaPeer) =>
    namespace === null && entry.namespaceSelector !== undefined
      ? `namespaces ${selectsEverything(entry.namespaceSelector) ? '{} (all namespaces)' : describeSelector(entry.namespaceSelector)}, pods ${describeSelector(entry.podSelector)}`
      : describeSelector(entry.podSelector);
  return {
    namespace,
    selectsNamespace: (labels) => unresolved || known.some((entry) => inNamespace(entry, labels)),
    everyNamespace: namespace === null && known.some((entry) => selectsEverything(entry.namespaceSelector) && selectsEverything(entry.podSelector)),
    everyPod: known.length > 0 && known.every((entry) => selectsEverything(entry.podSelector)),
    selectsPod: (pod, labels) => unresolved || known.some((entry) => inNamespace(entry, labels) && matchesSelector(entry.podSelector, pod.metadata.labels)),
    description: entries.length === 0 ? 'no appliedTo (nothing)' : entries.map((entry) => (modeled(entry) ? describe(entry) : 'an appliedTo the audit does not resolve')).join('; '),
  };
}

/** Why a rule's peers match all traffic: none given (every source or destination), or one peer of everything. */
function everyPeerOf(rule: AntreaRule, side: 'from' | 'to', clusterScoped: boolean): EveryPeer | undefined {
  const peers = rule[side] ?? [];
  // An egress rule to Services names its destinations there, not in `to`.
  if (peers.length === 0) return 'toServices' in rule ? undefined : { admits: Admits.Everywhere, why: `no "${side}": every ${side === 'from' ? 'source' : 'destination'}` };
  return firstEveryPeer(peers, (peer, index) => {
    if (!modeled(peer)) return undefined;
    // A cluster policy's podSelector alone selects pods of every namespace; a namespaced one's, of its own.
    if (clusterScoped && peer.namespaceSelector === undefined && peer.podSelector !== undefined && selectsEverything(peer.podSelector)) {
      return { admits: Admits.EveryPod, why: `${side}[${index}] has an empty podSelector: every pod of every namespace` };
    }
    const found = permissivePeer(peer, index);
    return found && { admits: found.admits, why: side === 'from' ? found.reason : found.reason.replace(/^from/, 'to') };
  });
}

function readRules(rules: readonly AntreaRule[] | undefined, direction: PolicyType, clusterScoped: boolean): TieredRule[] {
  const [field, side] = direction === PolicyType.Ingress ? (['ingress', 'from'] as const) : (['egress', 'to'] as const);
  return (rules ?? []).map((rule, index) => {
    const everyPeer = everyPeerOf(rule, side, clusterScoped);
    const unresolved = (rule[side] ?? []).findIndex((peer) => !modeled(peer));
    // A peer the audit cannot resolve might be everything: the worst case acts, and the policy is unreadable.
    const worstCase = everyPeer === undefined && unresolved >= 0;
    return {
      path: `spec.${field}[${index}]`,
      direction,
      action: ACTIONS[rule.action ?? ''],
      written: rule.action ?? '',
      everyPeer: worstCase ? { admits: Admits.Everywhere, why: `${side}[${unresolved}] is not resolved by the audit` } : everyPeer,
      ports: (rule.ports ?? []).map(describePort),
      ...(worstCase ? { unresolved: true } : {}),
    };
  });
}

/** What of a policy the audit cannot resolve: appliedTo entries and rule peers naming a group, a service account…. */
function unresolvedParts(spec: AntreaPolicySpec): string[] {
  const fields = (entry: AntreaPeer) => Object.keys(entry).filter((field) => field !== 'podSelector' && field !== 'namespaceSelector' && field !== 'ipBlock');
  const where = (entries: readonly AntreaPeer[] | undefined, path: string) =>
    (entries ?? []).flatMap((entry, index) => (modeled(entry) ? [] : [`${path}[${index}] (${fields(entry).join(', ')})`]));
  const rules = (list: readonly AntreaRule[] | undefined, field: string, side: 'from' | 'to') =>
    (list ?? []).flatMap((rule, index) => [...where(rule.appliedTo, `spec.${field}[${index}].appliedTo`), ...where(rule[side], `spec.${field}[${index}].${side}`)]);
  return [...where(spec.appliedTo, 'spec.appliedTo'), ...rules(spec.ingress, 'ingress', 'from'), ...rules(spec.egress, 'egress', 'to')];
}

/** The facts of an Antrea policy; `namespace` is `null` for a ClusterNetworkPolicy. */
function antreaPolicyFacts(policy: KubeObject & { spec?: AntreaPolicySpec }, namespace: string | null): PolicyFacts {
  const spec = policy.spec ?? {};
  const { entries, perRule } = appliedToOf(spec);
  const place = placeOf(spec);
  // Rules that each name their own pods act on those pods alone, which one subject cannot say: judged only when they
  // all name the same ones.
  const ruleTargets = new Set([...(spec.ingress ?? []), ...(spec.egress ?? [])].map((rule) => JSON.stringify(rule.appliedTo ?? null)));
  const oneSubject = !perRule || ruleTargets.size <= 1;
  const unresolved = unresolvedParts(spec);
  const facts = tieredPolicyFacts({
    tier: oneSubject ? place.tier : undefined,
    priority: place.priority,
    ordered: true,
    subject: antreaSubject(entries, namespace),
    rules: [...readRules(spec.ingress, PolicyType.Ingress, namespace === null), ...readRules(spec.egress, PolicyType.Egress, namespace === null)],
    evidence: {
      tier: spec.tier ?? DEFAULT_TIER,
      priority: spec.priority ?? null,
      ...(place.tier === undefined ? { tier_not_modeled: 'a custom tier: its order against Kubernetes NetworkPolicy is not read' } : {}),
      ...(oneSubject ? {} : { rule_applied_to: 'each rule names its own pods: its rules are not judged for isolation' }),
    },
  });
  return unresolved.length === 0
    ? facts
    : { ...facts, unreadable: `it names groups, service accounts or services the audit does not read (${unresolved.join('; ')})` };
}

/** Antrea ClusterNetworkPolicy (`crd.antrea.io`, cluster-scoped). */
export const antreaClusterNetworkPolicyApi: PolicyApi<'antreaClusterNetworkPolicies'> = {
  bucket: 'antreaClusterNetworkPolicies',
  enforcedBy: [EngineName.Antrea],
  enforcers: 'Antrea',
  tiered: true,
  read: (policy) => antreaPolicyFacts(policy, null),
};

/** Antrea NetworkPolicy (`crd.antrea.io`, namespaced): not the core NetworkPolicy, and it never isolates by selection. */
export const antreaNetworkPolicyApi: PolicyApi<'antreaNetworkPolicies'> = {
  bucket: 'antreaNetworkPolicies',
  enforcedBy: [EngineName.Antrea],
  enforcers: 'Antrea',
  tiered: true,
  read: (policy) => antreaPolicyFacts(policy, namespaceOf(policy)),
};
