/**
 * The NetworkPolicies a verdict mentions: how many exist and in how many namespaces, so a FAIL can say they are
 * inert rather than merely that no engine was found.
 */
import type { ClusterSnapshot } from '../snapshot.js';
import { countOf } from '../findings.js';
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
  if (!counts || counts.policies === 0) {
    return 'No NetworkPolicy engine is enforcing on this cluster: any NetworkPolicy created would be inert.';
  }
  const where = `${countOf(counts.namespaces, 'namespace')} (${countOf(counts.policies, 'policy', 'policies')})`;
  return `NetworkPolicies exist in ${where} but no engine enforces them: they are inert.`;
}
