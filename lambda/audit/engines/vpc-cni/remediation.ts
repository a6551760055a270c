/**
 * The closing advice of a FAIL: how to get an engine. On EKS that is the VPC CNI's native policy through the vpc-cni
 * add-on (with the real cluster name and region); elsewhere Calico or Cilium.
 */
import type { ClusterSnapshot, DaemonSet } from '../../snapshot.js';
import { supportsNetworkPolicy, type AddonReading } from './addon.js';
import type { AutoMode } from './auto-mode.js';
import { isAgentOf } from '../rule.js';
import { vpcCniRule } from './agent.js';

/**
 * How to enable an engine. Empty on a pure EKS Auto Mode cluster (no aws-node): the add-on configuration does not
 * apply there, and the Auto Mode judgement already carries the ConfigMap to apply.
 */
export function enableRemediation(
  snapshot: ClusterSnapshot,
  daemonSets: readonly DaemonSet[],
  addon: AddonReading | undefined,
  autoMode: AutoMode | undefined,
): string {
  const hasAwsNode = daemonSets.some((daemonSet) => isAgentOf(vpcCniRule, daemonSet));
  if (autoMode && !hasAwsNode) return '';
  const onEks = snapshot.eks !== undefined || snapshot.addons !== undefined || hasAwsNode;
  if (!onEks) {
    return 'Install a NetworkPolicy engine such as Calico or Cilium (flannel, kindnet and Multus enforce none).';
  }
  const { name, region } = snapshot.cluster;
  const command =
    `aws eks update-addon --cluster-name ${name} --addon-name vpc-cni ` +
    `--configuration-values '{"enableNetworkPolicy":"true"}' --resolve-conflicts PRESERVE` +
    (region ? ` --region ${region}` : '');
  const tooOld = addon?.version !== undefined && supportsNetworkPolicy(addon.version) === false;
  const version = tooOld ? ` (it is ${addon?.version}: update it with --addon-version first)` : '';
  return (
    'Enable the Amazon VPC CNI\'s network policy support: set the vpc-cni add-on configuration to ' +
    `{"enableNetworkPolicy":"true"} with \`${command}\`; the add-on must be v1.14.0 or later${version}. ` +
    'Or install Calico or Cilium.'
  );
}
