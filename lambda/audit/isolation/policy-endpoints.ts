/**
 * PolicyEndpoint evidence (POLICY-APIS.md §1.8): the VPC CNI's network policy controller writes PolicyEndpoints for
 * each NetworkPolicy and ApplicationNetworkPolicy it programs (owned by the policy, `spec.policyRef` naming it), and a
 * ClusterPolicyEndpoint for each ClusterNetworkPolicy. When these were read, a policy selecting running pods that owns
 * none is not being enforced; when they were not read, nothing is concluded from their absence.
 */
import { namespaceOf } from '../objects.js';
import type { KubeInventory, KubeObject, ServedKinds } from '../snapshot.js';
import type { EndpointBucket } from './policy-api.js';

/** Which policies the read PolicyEndpoints and ClusterPolicyEndpoints belong to. */
export interface EndpointIndex {
  /** Whether the evidence objects of `bucket` were read (an empty list counts as read). */
  read(bucket: EndpointBucket): boolean;
  /** Whether a read endpoint of `bucket` belongs to the policy of `kind` in `namespace` (null: cluster) named `name`. */
  owns(bucket: EndpointBucket, kind: string, namespace: string | null, name: string): boolean;
}

// The kind slot of an endpoint found only through `spec.policyRef`, which does not say the policy's kind.
const ANY_KIND = '*';

function key(bucket: EndpointBucket, kind: string, namespace: string | null, name: string): string {
  return JSON.stringify([bucket, kind, namespace, name]);
}

/** Indexes the endpoints of `kube` by the policy they belong to: their controller owner, and their policyRef. */
export function indexEndpoints(kube: KubeInventory, served: ServedKinds | undefined): EndpointIndex {
  const owned = new Set<string>();
  const add = (bucket: EndpointBucket, endpoint: KubeObject, namespace: string | null, refName: string | undefined) => {
    for (const owner of endpoint.metadata.ownerReferences ?? []) owned.add(key(bucket, owner.kind, namespace, owner.name));
    if (refName !== undefined) owned.add(key(bucket, ANY_KIND, namespace, refName));
  };
  for (const endpoint of kube.policyEndpoints ?? []) {
    add('policyEndpoints', endpoint, endpoint.spec?.policyRef?.namespace ?? namespaceOf(endpoint), endpoint.spec?.policyRef?.name);
  }
  for (const endpoint of kube.clusterPolicyEndpoints ?? []) add('clusterPolicyEndpoints', endpoint, null, endpoint.spec?.policyRef?.name);
  return {
    // Read and empty because the CRD is not installed says nothing about a controller: it has nowhere to write.
    read: (bucket) => kube[bucket] !== undefined && served?.[bucket] !== false,
    owns: (bucket, kind, namespace, name) => owned.has(key(bucket, kind, namespace, name)) || owned.has(key(bucket, ANY_KIND, namespace, name)),
  };
}
