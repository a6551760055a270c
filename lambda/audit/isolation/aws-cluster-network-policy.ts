/**
 * AWS ClusterNetworkPolicy (`networking.k8s.aws/v1alpha1`, cluster-scoped): tiered rules (Admin before the namespace
 * policies, Baseline after them) on the pods of its subject. It never isolates by selection; only its rules act, and
 * the ones that matter for isolation match all pod traffic: a Baseline `Deny` from every namespace is a default deny,
 * an Admin `Accept` from every namespace overrides every namespace policy (POLICY-APIS.md §1.5, §1.7).
 */
import { EngineName } from '../engines/engine-verdict.js';
import { AWS_POLICY_APIS_SINCE } from '../engines/vpc-cni/version.js';
import { describeSelector, matchesSelector, selectsEverything } from '../selectors.js';
import type { AwsClusterNetworkPolicy, ClusterPolicyPeer, ClusterPolicyPort, ClusterPolicyRule } from '../snapshot.js';
import { PolicyType } from './direction.js';
import { Severity } from '../finding.js';
import { Tier, TierAction, type PermissiveRule, type PolicyApi, type PolicySubject, type TierRule } from './policy-api.js';
import { Admits } from './selection.js';

// A policy without a priority sorts last within its tier (the CRD requires one; this only guards odd input).
const LOWEST_PRECEDENCE = 1000;

function subjectOf(policy: AwsClusterNetworkPolicy): PolicySubject {
  const subject = policy.spec?.subject ?? {};
  const namespaceSelector = subject.pods ? subject.pods.namespaceSelector : subject.namespaces;
  const podSelector = subject.pods?.podSelector;
  const namespaces = selectsEverything(namespaceSelector) ? '{} (all namespaces)' : describeSelector(namespaceSelector);
  const chosen = (subject.pods ?? subject.namespaces) !== undefined;
  return {
    namespace: null,
    // A subject with neither field selects nothing: the CRD requires exactly one, and guessing "all" would fail open.
    selectsNamespace: (labels) => chosen && matchesSelector(namespaceSelector, labels),
    everyNamespace: chosen && selectsEverything(namespaceSelector),
    everyPod: selectsEverything(podSelector),
    selectsPod: (pod) => matchesSelector(podSelector, pod.metadata.labels),
    description: subject.pods ? `namespaces ${namespaces}, pods ${describeSelector(podSelector)}` : `namespaces ${namespaces}`,
  };
}

// Any CIDR with prefix length 0 is every address, pods included.
const EVERY_ADDRESS = /\/0+$/;

/** Why a peer matches every pod of every namespace, or `undefined`. */
function everyPodPeer(peer: ClusterPolicyPeer, index: number, side: 'from' | 'to'): string | undefined {
  if (peer.namespaces !== undefined && selectsEverything(peer.namespaces)) return `${side}[${index}] selects every namespace (namespaces: {})`;
  if (peer.pods !== undefined && selectsEverything(peer.pods.namespaceSelector) && selectsEverything(peer.pods.podSelector)) {
    return `${side}[${index}] selects every pod of every namespace`;
  }
  const everywhere = (peer.networks ?? []).find((cidr) => EVERY_ADDRESS.test(cidr.trim()));
  return everywhere === undefined ? undefined : `${side}[${index}] is the network ${everywhere}: every address`;
}

function describePort({ portNumber, portRange, namedPort }: ClusterPolicyPort): string {
  if (portNumber) return `${portNumber.protocol ?? 'TCP'}/${portNumber.port}`;
  if (portRange) return `${portRange.protocol ?? 'TCP'}/${portRange.start}-${portRange.end}`;
  return `port named ${namedPort}`;
}

const ACTIONS: readonly string[] = Object.values(TierAction);
const TIERS: readonly string[] = Object.values(Tier);

interface ReadRule {
  path: string;
  direction: PolicyType;
  rule: ClusterPolicyRule;
  /** Why it matches all pod traffic; `undefined` when it does not. */
  everyPod: string | undefined;
}

function readRules(policy: AwsClusterNetworkPolicy): ReadRule[] {
  const spec = policy.spec ?? {};
  const read = (direction: PolicyType, rules: ClusterPolicyRule[] | undefined, field: 'ingress' | 'egress', side: 'from' | 'to') =>
    (rules ?? []).map((rule, index) => ({
      path: `spec.${field}[${index}]`,
      direction,
      rule,
      everyPod: (rule[side] ?? []).map((peer, peerIndex) => everyPodPeer(peer, peerIndex, side)).find((why) => why !== undefined),
    }));
  return [...read(PolicyType.Ingress, spec.ingress, 'ingress', 'from'), ...read(PolicyType.Egress, spec.egress, 'egress', 'to')];
}

/** The AWS ClusterNetworkPolicy adapter. */
export const awsClusterNetworkPolicyApi: PolicyApi<'awsClusterNetworkPolicies'> = {
  bucket: 'awsClusterNetworkPolicies',
  enforcedBy: [EngineName.VpcCni],
  versionGates: { [EngineName.VpcCni]: AWS_POLICY_APIS_SINCE },
  enforcers: "the VPC CNI's network policy agent (v1.21 and later) or EKS Auto Mode",
  endpoints: 'clusterPolicyEndpoints',
  read(policy) {
    const spec = policy.spec ?? {};
    const tier = TIERS.includes(spec.tier ?? '') ? (spec.tier as Tier) : undefined;
    const priority = typeof spec.priority === 'number' ? spec.priority : LOWEST_PRECEDENCE;
    const rules = readRules(policy);
    const tierRules: TierRule[] = rules.flatMap(({ path, direction, rule, everyPod }) =>
      tier !== undefined && everyPod !== undefined && ACTIONS.includes(rule.action ?? '')
        ? [{ direction, tier, priority, action: rule.action as TierAction, rule: path, ports: (rule.ports ?? []).map(describePort) }]
        : [],
    );
    const permissive: PermissiveRule[] = rules.flatMap(({ path, direction, rule, everyPod }) =>
      direction === PolicyType.Ingress && everyPod !== undefined && rule.action === TierAction.Accept
        ? [
            {
              rule: path,
              admits: Admits.EveryPod,
              reason: `Accept: ${everyPod}${tier ? ` (${tier} tier)` : ''}`,
              ports: (rule.ports ?? []).map(describePort),
              ...(tier === Tier.Admin ? { severity: Severity.Medium } : {}),
            },
          ]
        : [],
    );
    return {
      subject: subjectOf(policy),
      isolates: [],
      deniesByDefault: [],
      tierRules,
      permissive,
      evidence: { tier: spec.tier ?? null, priority: spec.priority ?? null },
    };
  },
};
