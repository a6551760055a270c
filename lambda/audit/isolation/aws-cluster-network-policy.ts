/**
 * AWS ClusterNetworkPolicy (`networking.k8s.aws/v1alpha1`, cluster-scoped): tiered rules (Admin before the namespace
 * policies, Baseline after them) on the pods of its subject. It never isolates by selection; only its rules act, and
 * the ones that matter for isolation match all pod traffic: a Baseline `Deny` from every namespace is a default deny,
 * an Admin `Accept` from every namespace overrides every namespace policy (POLICY-APIS.md §1.5, §1.7). Read by the
 * shared tiered-policy reading; the agent does not encode rule order, so rules are not ordered.
 */
import { EngineName } from '../engines/engine-verdict.js';
import { AWS_POLICY_APIS_SINCE } from '../engines/vpc-cni/version.js';
import type { ClusterPolicyRule } from '../snapshot.js';
import { PolicyType } from './direction.js';
import { TierAction, type PolicyApi } from './policy-api.js';
import {
  clusterSubject,
  describeClusterPort,
  everyPodPeer,
  firstEveryPeer,
  priorityOf,
  tieredPolicyFacts,
  tierOf,
  type TieredRule,
} from './tiered-policy.js';

const ACTIONS: readonly string[] = Object.values(TierAction);

function readRules(rules: ClusterPolicyRule[] | undefined, direction: PolicyType): TieredRule[] {
  const [field, side] = direction === PolicyType.Ingress ? (['ingress', 'from'] as const) : (['egress', 'to'] as const);
  return (rules ?? []).map((rule, index) => ({
    path: `spec.${field}[${index}]`,
    direction,
    action: ACTIONS.includes(rule.action ?? '') ? (rule.action as TierAction) : undefined,
    written: rule.action ?? '',
    everyPeer: firstEveryPeer(rule[side] ?? [], (peer, peerIndex) => everyPodPeer(peer, peerIndex, side)),
    ports: (rule.ports ?? []).map(describeClusterPort),
  }));
}

/** The AWS ClusterNetworkPolicy adapter. */
export const awsClusterNetworkPolicyApi: PolicyApi<'awsClusterNetworkPolicies'> = {
  bucket: 'awsClusterNetworkPolicies',
  enforcedBy: [EngineName.VpcCni],
  versionGates: { [EngineName.VpcCni]: AWS_POLICY_APIS_SINCE },
  enforcers: "the VPC CNI's network policy agent (v1.21 and later) or EKS Auto Mode",
  endpoints: 'clusterPolicyEndpoints',
  tiered: true,
  read(policy) {
    const spec = policy.spec ?? {};
    return tieredPolicyFacts({
      tier: tierOf(spec.tier),
      priority: priorityOf(spec.priority),
      ordered: false,
      subject: clusterSubject(spec.subject),
      rules: [...readRules(spec.ingress, PolicyType.Ingress), ...readRules(spec.egress, PolicyType.Egress)],
      evidence: { tier: spec.tier ?? null, priority: spec.priority ?? null },
    });
  },
};
