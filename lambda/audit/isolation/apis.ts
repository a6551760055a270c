/**
 * The policy APIs the isolation model reads, one adapter each (policy-api.ts): adding a policy API is one row in
 * kinds.ts plus one adapter here.
 */
import { adminNetworkPolicyApi, baselineAdminNetworkPolicyApi, upstreamClusterNetworkPolicyApi } from './admin-network-policies.js';
import { antreaClusterNetworkPolicyApi, antreaNetworkPolicyApi } from './antrea-policies.js';
import { CALICO_POLICY_APIS } from '../calico/policies.js';
import { applicationNetworkPolicyApi } from './application-network-policy.js';
import { awsClusterNetworkPolicyApi } from './aws-cluster-network-policy.js';
import { ciliumClusterwideNetworkPolicyApi, ciliumNetworkPolicyApi } from './cilium/policy.js';
import { networkPolicyApi } from './network-policy.js';
import type { PolicyApi } from './policy-api.js';

/** Every policy API, in the order their findings are listed within a check. */
export const POLICY_APIS: readonly PolicyApi[] = [
  networkPolicyApi,
  applicationNetworkPolicyApi,
  awsClusterNetworkPolicyApi,
  // Cilium
  ciliumNetworkPolicyApi,
  ciliumClusterwideNetworkPolicyApi,
  // Upstream admin policies (policy.networking.k8s.io).
  adminNetworkPolicyApi,
  baselineAdminNetworkPolicyApi,
  upstreamClusterNetworkPolicyApi,
  // Antrea (crd.antrea.io).
  antreaNetworkPolicyApi,
  antreaClusterNetworkPolicyApi,
  ...CALICO_POLICY_APIS,
];
