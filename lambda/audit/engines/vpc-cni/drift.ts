/**
 * The VPC CNI's in-cluster flags for evidence, and where the EKS add-on configuration disagrees with them (drift):
 * in-cluster evidence decides, but a reader must learn that the add-on says otherwise.
 */
import { withoutUndefined } from '../../records.js';
import type { ClusterSnapshot, DaemonSet } from '../../snapshot.js';
import { addonEvidence, addonFlagPhrase, type AddonReading } from './addon.js';
import type { AutoMode } from './auto-mode.js';
import { isAgentOf } from '../rule.js';
import { vpcCniFacts, vpcCniRule, type VpcCniFacts } from './agent.js';
import { VPC_CNI_CONFIG_MAP, controllerFlag, controllerSetting } from './config-map.js';

/** The VPC CNI's evidence, the drift sentence (if any) and the enforcing mode read from aws-node. */
export interface VpcCniReading {
  evidence: Record<string, unknown>;
  drift?: string;
  enforcingMode?: string;
}

/**
 * Reads aws-node (if any) and the amazon-vpc-cni ConfigMap against the add-on. Under EKS Auto Mode a missing aws-node
 * is expected, so it is no drift; the controller flag is still reported.
 */
export function vpcCniReading(
  daemonSets: readonly DaemonSet[],
  snapshot: ClusterSnapshot,
  addon: AddonReading | undefined,
  autoMode: AutoMode | undefined,
): VpcCniReading {
  const awsNode = daemonSets.find((daemonSet) => isAgentOf(vpcCniRule, daemonSet));
  const facts = awsNode ? vpcCniFacts(awsNode, snapshot) : undefined;
  const drift = driftOf(facts, addon, autoMode);
  return {
    evidence: withoutUndefined({
      ...addonEvidence(addon),
      agent_flag: facts?.hasAgentContainer ? facts.agentFlag : undefined,
      controller_flag: facts || autoMode ? controllerFlag(controllerSetting(snapshot)) : undefined,
      enforcing_mode: facts?.enforcingMode,
      drift,
    }),
    drift,
    enforcingMode: facts?.enforcingMode,
  };
}

function driftOf(
  facts: VpcCniFacts | undefined,
  addon: AddonReading | undefined,
  autoMode: AutoMode | undefined,
): string | undefined {
  if (!addon || addon.parseError !== undefined) return undefined;
  const addonSays = `EKS add-on vpc-cni ${addonFlagPhrase(addon)}`;
  const disagreements: string[] = [];
  if (!facts) {
    if (addon.enabled && !autoMode) {
      disagreements.push(`${addonSays} but DaemonSet kube-system/aws-node does not exist`);
    }
  } else {
    if (facts.agentFlag !== addon.enabled) {
      const agentRuns = facts.hasAgentContainer
        ? `the aws-eks-nodeagent container runs with --enable-network-policy=${facts.agentFlag}`
        : 'aws-node has no aws-eks-nodeagent container';
      disagreements.push(`${addonSays} but ${agentRuns}`);
    }
    const controller = controllerFlag(facts.controller);
    if (controller !== undefined && controller !== addon.enabled) {
      const enables = controller ? 'enables' : 'does not enable';
      disagreements.push(`${addonSays} but ${VPC_CNI_CONFIG_MAP} ${enables} the network policy controller`);
    }
  }
  return disagreements.length > 0 ? disagreements.join('; ') : undefined;
}
