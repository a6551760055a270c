/**
 * AWS ApplicationNetworkPolicy (`networking.k8s.aws/v1alpha1`): NetworkPolicy's selection model, evaluated in the
 * same tier by the VPC CNI's agent, with egress rules that may name domains. Its policyTypes are taken as written:
 * the CRD does not default them and the controller copies them verbatim into the PolicyEndpoint, so one without
 * policyTypes isolates nothing (POLICY-APIS.md §1.6).
 */
import { EngineName } from '../engines/engine-verdict.js';
import { AWS_POLICY_APIS_SINCE } from '../engines/vpc-cni/version.js';
import { directionsIn } from './direction.js';
import type { PolicyApi } from './policy-api.js';
import { selectionPolicyFacts } from './selection.js';

/** The ApplicationNetworkPolicy adapter. */
export const applicationNetworkPolicyApi: PolicyApi<'applicationNetworkPolicies'> = {
  bucket: 'applicationNetworkPolicies',
  enforcedBy: [EngineName.VpcCni],
  versionGates: { [EngineName.VpcCni]: AWS_POLICY_APIS_SINCE },
  enforcers: "the VPC CNI's network policy agent or EKS Auto Mode",
  endpoints: 'policyEndpoints',
  read: (policy) => selectionPolicyFacts(policy, policy.spec ?? {}, directionsIn(policy.spec?.policyTypes)),
};
