/**
 * The VPC CNI's version and the features it gates (POLICY-APIS.md §1.1): strict mode came with v1.17.1, the AWS policy
 * APIs (ApplicationNetworkPolicy, ClusterNetworkPolicy) with v1.21.0 (agent v1.3.0). In-cluster evidence wins: the
 * image tag of the `aws-node` container; the vpc-cni add-on's version stands in when the tag names none (a digest)
 * or aws-node was not read. EKS Auto Mode runs the agent itself, current with these features.
 */
import type { ClusterSnapshot } from '../../snapshot.js';
import { containersOf, qualifiedName } from '../inputs.js';
import { isAgentOf } from '../rule.js';
import { imageTag, parseVersion, type FoundVersion } from '../versions.js';
import { readVpcCniAddon } from './addon.js';
import { vpcCniRule } from './agent.js';
import { eksAutoMode } from './auto-mode.js';

/** How messages name the product whose version gates. */
export const VPC_CNI = 'VPC CNI';

/** The release that brought `NETWORK_POLICY_ENFORCING_MODE=strict`. */
export const STRICT_MODE_SINCE = 'v1.17.1';

/** The release that brought ApplicationNetworkPolicy and ClusterNetworkPolicy (`networking.k8s.aws`). */
export const AWS_POLICY_APIS_SINCE = 'v1.21.0';

/** The VPC CNI version of `snapshot` and where it was read, or why it could not be. */
export function vpcCniVersion(snapshot: ClusterSnapshot): FoundVersion {
  const awsNode = snapshot.kube.daemonSets?.find((daemonSet) => isAgentOf(vpcCniRule, daemonSet));
  const addonVersion = readVpcCniAddon(snapshot)?.version;
  const fromAddon = parseVersion(addonVersion) ? { version: addonVersion, source: 'the vpc-cni add-on' } : undefined;
  if (awsNode) {
    const where = `the aws-node image of ${qualifiedName(awsNode)}`;
    const image = containersOf(awsNode).find((container) => container.name === 'aws-node')?.image;
    const tag = imageTag(image);
    if (parseVersion(tag)) return { version: tag, source: where };
    const unread = image === undefined ? `${qualifiedName(awsNode)} names no aws-node image` : `${where} (${image}) names no version`;
    return fromAddon ?? { source: `${unread}, and no vpc-cni add-on version was read` };
  }
  if (eksAutoMode(snapshot)) return { source: 'EKS Auto Mode', managedBy: 'EKS Auto Mode' };
  return fromAddon ?? { source: 'neither the aws-node DaemonSet nor a vpc-cni add-on version was read' };
}
