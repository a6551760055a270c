/**
 * Core NetworkPolicy (`networking.k8s.io/v1`): it selects pods of its namespace by podSelector and isolates the
 * directions of its effective policyTypes. Every NetworkPolicy engine enforces it.
 */
import type { NetworkPolicy } from '../snapshot.js';
import { PolicyType, directionsIn } from './direction.js';
import type { PolicyApi } from './policy-api.js';
import { selectionPolicyFacts } from './selection.js';

/**
 * The directions a policy isolates. Kubernetes defaulting (`SetDefaults_NetworkPolicy`): `spec.policyTypes` when it
 * is set; otherwise `Ingress` always (even for an egress-only spec), plus `Egress` only when `spec.egress` has at least
 * one rule. An empty `egress: []` adds nothing, because the API server tests `len(spec.egress) != 0`.
 */
export function effectivePolicyTypes(policy: NetworkPolicy): PolicyType[] {
  const listed = policy.spec?.policyTypes ?? [];
  if (listed.length > 0) return directionsIn(listed);
  return (policy.spec?.egress?.length ?? 0) > 0 ? [PolicyType.Ingress, PolicyType.Egress] : [PolicyType.Ingress];
}

/** The core NetworkPolicy adapter. */
export const networkPolicyApi: PolicyApi<'networkPolicies'> = {
  bucket: 'networkPolicies',
  endpoints: 'policyEndpoints',
  read: (policy) => selectionPolicyFacts(policy, policy.spec ?? {}, effectivePolicyTypes(policy)),
};
