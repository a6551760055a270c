/**
 * The NetworkPolicies a verdict mentions: how many exist and in how many namespaces, so a FAIL can say they are
 * inert rather than merely that no engine was found; objects of the other policy APIs (a CiliumNetworkPolicy on a
 * cluster in policy audit mode) are named as inert too.
 */
import type { ClusterSnapshot } from '../snapshot.js';
import { countOf } from '../findings.js';
import { POLICY_APIS } from '../isolation/apis.js';
import { kindOfBucket } from '../kinds.js';
import { namespaceOf } from '../objects.js';

function policyCounts(snapshot: ClusterSnapshot): { policies: number; namespaces: number } | undefined {
  const policies = snapshot.kube.networkPolicies;
  if (policies === undefined) return undefined;
  const namespaces = new Set(policies.map(namespaceOf));
  return { policies: policies.length, namespaces: namespaces.size };
}

/** `network_policies` and `network_policy_namespaces` evidence; empty when NetworkPolicies were not read. */
export function policyCountEvidence(snapshot: ClusterSnapshot): Record<string, unknown> {
  const counts = policyCounts(snapshot);
  return counts ? { network_policies: counts.policies, network_policy_namespaces: counts.namespaces } : {};
}

/** The FAIL verdict's first sentence: the policies are inert when there are any. */
export function noEngineSentence(snapshot: ClusterSnapshot): string {
  const counts = policyCounts(snapshot);
  const others = otherPolicies(snapshot);
  if (!counts || counts.policies === 0) {
    return `No NetworkPolicy engine is enforcing on this cluster: any NetworkPolicy created would be inert.${others}`;
  }
  const where = `${countOf(counts.namespaces, 'namespace')} (${countOf(counts.policies, 'policy', 'policies')})`;
  return `NetworkPolicies exist in ${where} but no engine enforces them: they are inert.${others}`;
}

/** ` The CiliumNetworkPolicies (2) and CiliumClusterwideNetworkPolicies (1) are inert too.`, or `''` when there are none. */
function otherPolicies(snapshot: ClusterSnapshot): string {
  const present = POLICY_APIS.filter((api) => api.bucket !== 'networkPolicies')
    .map((api) => ({ label: kindOfBucket(api.bucket).label, count: snapshot.kube[api.bucket]?.length ?? 0 }))
    .filter(({ count }) => count > 0);
  return present.length === 0 ? '' : ` The ${present.map(({ label, count }) => `${label} (${count})`).join(' and ')} are inert too.`;
}
