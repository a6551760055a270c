/**
 * The upstream admin policies of Kubernetes SIG Network (`policy.networking.k8s.io`, POLICY-APIS.md §2): the v1alpha1
 * AdminNetworkPolicy (Admin tier, `Allow`/`Deny`/`Pass`) and BaselineAdminNetworkPolicy (Baseline tier, the singleton
 * `default`, `Allow`/`Deny`), and the v1alpha2 ClusterNetworkPolicy that replaces both (tiers Admin and Baseline,
 * `Accept`/`Deny`/`Pass`). They share the AWS ClusterNetworkPolicy's semantics (the shared tiered-policy reading), except
 * that rule order is precedence within a policy. Only engines that implement them enforce them: Calico from 3.29
 * (v1alpha1) or 3.32 (v1alpha2), Antrea from 1.13 (v1alpha1); never the VPC CNI.
 */
import { EngineName } from '../engines/engine-verdict.js';
import type { AdminPolicyPeer, AdminPolicySubject, ClusterPolicyPort, ClusterPolicyProtocol } from '../snapshot.js';
import { PolicyType } from './direction.js';
import { Tier, TierAction, type PolicyApi, type PolicyFacts } from './policy-api.js';
import {
  clusterSubject,
  describeClusterPort,
  everyPodPeer,
  firstEveryPeer,
  LOWEST_PRECEDENCE,
  priorityOf,
  tieredPolicyFacts,
  tierOf,
  type EveryPeer,
  type TieredRule,
} from './tiered-policy.js';
import { Admits } from './selection.js';

/** A rule of any of the three APIs, its ports already described. */
interface AdminRule {
  action?: string;
  from?: AdminPolicyPeer[];
  to?: AdminPolicyPeer[];
  ports: string[];
}

// v1alpha1 writes `Allow` where the AWS API and v1alpha2 write `Accept`.
const ACTIONS: Readonly<Record<string, TierAction>> = { Allow: TierAction.Accept, Accept: TierAction.Accept, Deny: TierAction.Deny, Pass: TierAction.Pass };

const PEER_FIELDS: readonly (keyof AdminPolicyPeer)[] = ['namespaces', 'pods', 'nodes', 'networks', 'domainNames'];

/**
 * Why a peer matches all pod traffic for a rule with `action`. The API fails closed on a peer that sets no field it
 * knows (a newer CRD's field): an Accept then matches nothing, a Deny or Pass denies all (v1alpha2 types).
 */
function everyPeerFor(action: TierAction | undefined, side: 'from' | 'to') {
  return (peer: AdminPolicyPeer, index: number): EveryPeer | undefined => {
    const known = PEER_FIELDS.some((field) => peer[field] !== undefined);
    if (known) return everyPodPeer(peer, index, side);
    return action === TierAction.Accept ? undefined : { admits: Admits.EveryPod, why: `${side}[${index}] sets no known peer field, so it denies all (fail closed)` };
  };
}

function readRules(rules: readonly AdminRule[], direction: PolicyType): TieredRule[] {
  const [field, side] = direction === PolicyType.Ingress ? (['ingress', 'from'] as const) : (['egress', 'to'] as const);
  return rules.map((rule, index) => {
    const action = ACTIONS[rule.action ?? ''];
    return {
      path: `spec.${field}[${index}]`,
      direction,
      action,
      written: rule.action ?? '',
      everyPeer: firstEveryPeer(rule[side] ?? [], everyPeerFor(action, side)),
      ports: rule.ports,
    };
  });
}

interface AdminSpec<Rule> {
  subject?: AdminPolicySubject;
  ingress?: Rule[];
  egress?: Rule[];
}

/** The facts of an upstream admin policy of `tier` and `priority`, its rules' ports read by `portsOf`. */
function adminPolicyFacts<Rule extends Omit<AdminRule, 'ports'>>(
  spec: AdminSpec<Rule>,
  tier: Tier | undefined,
  priority: number,
  portsOf: (rule: Rule) => string[],
  evidence: Record<string, unknown>,
): PolicyFacts {
  const read = (rules: Rule[] | undefined) => (rules ?? []).map((rule) => ({ ...rule, ports: portsOf(rule) }));
  return tieredPolicyFacts({
    tier,
    priority,
    ordered: true,
    subject: clusterSubject(spec.subject),
    rules: [...readRules(read(spec.ingress), PolicyType.Ingress), ...readRules(read(spec.egress), PolicyType.Egress)],
    evidence,
  });
}

const v1alpha1Ports = (rule: { ports?: ClusterPolicyPort[] }) => (rule.ports ?? []).map(describeClusterPort);

/** A v1alpha2 port match as messages show it: `TCP/80`, `UDP/5000-5100`, `port named http`. */
function describeProtocol(protocol: ClusterPolicyProtocol): string {
  if (protocol.destinationNamedPort !== undefined) return `port named ${protocol.destinationNamedPort}`;
  const [name, match] = (['tcp', 'udp', 'sctp'] as const).map((key) => [key, protocol[key]] as const).find(([, value]) => value !== undefined) ?? ['tcp', {}];
  const port = match?.destinationPort;
  const where = port?.range ? `${port.range.start}-${port.range.end}` : (port?.number ?? 'all ports');
  return `${name.toUpperCase()}/${where}`;
}

/** Who enforces the v1alpha1 APIs, from which release (POLICY-APIS.md §2.1, §5; Antrea's docs: "starting with v1.13"). */
const V1ALPHA1_ENFORCEMENT = {
  enforcedBy: [EngineName.Calico, EngineName.Antrea],
  versionGates: { [EngineName.Calico]: 'v3.29.0', [EngineName.Antrea]: 'v1.13.0' },
  enforcers: 'Calico (v3.29 and later) or Antrea (v1.13 and later)',
  tiered: true,
} as const;

/** AdminNetworkPolicy (v1alpha1): the Admin tier, ordered by `spec.priority`. */
export const adminNetworkPolicyApi: PolicyApi<'adminNetworkPolicies'> = {
  bucket: 'adminNetworkPolicies',
  ...V1ALPHA1_ENFORCEMENT,
  read(policy) {
    const spec = policy.spec ?? {};
    return adminPolicyFacts(spec, Tier.Admin, priorityOf(spec.priority), v1alpha1Ports, { tier: Tier.Admin, priority: spec.priority ?? null });
  },
};

/** BaselineAdminNetworkPolicy (v1alpha1): the Baseline tier, one object (`default`), so it has no priority. */
export const baselineAdminNetworkPolicyApi: PolicyApi<'baselineAdminNetworkPolicies'> = {
  bucket: 'baselineAdminNetworkPolicies',
  ...V1ALPHA1_ENFORCEMENT,
  read(policy) {
    return adminPolicyFacts(policy.spec ?? {}, Tier.Baseline, LOWEST_PRECEDENCE, v1alpha1Ports, { tier: Tier.Baseline, priority: null });
  },
};

/** ClusterNetworkPolicy (v1alpha2): tiers Admin and Baseline, ordered by `spec.priority`, ports as `protocols`. */
export const upstreamClusterNetworkPolicyApi: PolicyApi<'upstreamClusterNetworkPolicies'> = {
  bucket: 'upstreamClusterNetworkPolicies',
  enforcedBy: [EngineName.Calico],
  versionGates: { [EngineName.Calico]: 'v3.32.0' },
  enforcers: 'Calico (v3.32 and later)',
  tiered: true,
  read(policy) {
    const spec = policy.spec ?? {};
    return adminPolicyFacts(spec, tierOf(spec.tier), priorityOf(spec.priority), (rule) => (rule.protocols ?? []).map(describeProtocol), {
      tier: spec.tier ?? null,
      priority: spec.priority ?? null,
    });
  },
};
