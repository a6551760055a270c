/**
 * CiliumEndpoint evidence (POLICY-APIS.md §3.4): Cilium writes one CiliumEndpoint per pod it manages, named as the pod,
 * whose `status.policy.<direction>.enforcing` says whether it enforces policy on that pod in that direction. Where
 * they were read and Cilium is the only engine enforcing, a pod the model isolates but whose endpoint does not
 * enforce is not isolated (evidence beats assumption), and an endpoint that enforces where the model sees nothing
 * isolating is reported as a disagreement. A pod without an endpoint, or an endpoint without that status, says nothing.
 */
import { EngineName, type EngineVerdict } from '../../engines/engine-verdict.js';
import { namespaceOf } from '../../objects.js';
import type { KubeInventory, Pod, ServedKinds } from '../../snapshot.js';
import type { Isolation } from '../decision.js';
import { PolicyType } from '../direction.js';

/** Reviews a pod's isolation for a direction against its CiliumEndpoint. */
export type EndpointReview = (pod: Pod, direction: PolicyType, isolation: Isolation) => Isolation;

const unchanged: EndpointReview = (_pod, _direction, isolation) => isolation;

/** The review of `kube`'s CiliumEndpoints; leaves every isolation as it is when they cannot speak. */
export function ciliumEndpointReview(kube: KubeInventory, served: ServedKinds | undefined, engine: EngineVerdict): EndpointReview {
  const endpoints = kube.ciliumEndpoints;
  // Another engine enforcing too may isolate what Cilium does not; an uninstalled CRD is no evidence at all.
  if (endpoints === undefined || served?.ciliumEndpoints === false || engine.enforcing.length !== 1 || engine.enforcing[0] !== EngineName.Cilium) {
    return unchanged;
  }
  const byPod = new Map(endpoints.map((endpoint) => [`${namespaceOf(endpoint)}/${endpoint.metadata.name}`, endpoint]));
  return (pod, direction, isolation) => {
    const name = `${namespaceOf(pod)}/${pod.metadata.name}`;
    const status = byPod.get(name)?.status?.policy?.[direction === PolicyType.Ingress ? 'ingress' : 'egress'];
    if (typeof status?.enforcing !== 'boolean' || status.enforcing === isolation.isolated) return isolation;
    const endpoint = `CiliumEndpoint ${name}`;
    if (isolation.isolated) {
      return {
        isolated: false,
        by: [],
        open: `${endpoint} reports that Cilium does not enforce ${direction} policy on it, so what should isolate it (${isolation.by.join('; ')}) is not in force`,
      };
    }
    return { ...isolation, disagreement: `${endpoint} reports ${direction} policy enforced, which no policy the audit read explains` };
  };
}
