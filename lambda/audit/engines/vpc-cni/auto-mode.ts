/**
 * EKS Auto Mode: EKS manages the nodes and runs the VPC CNI's node agent on them itself, so there is no aws-node
 * DaemonSet to read. Per the AWS guide "Use network policies with EKS Auto Mode", NetworkPolicy is enforced once
 * ConfigMap kube-system/amazon-vpc-cni sets `enable-network-policy-controller: "true"`; a NodeClass's
 * `spec.networkPolicy` (DefaultAllow/DefaultDeny) only chooses the stance for pods no policy selects.
 */
import { countOf } from '../../findings.js';
import type { ClusterSnapshot } from '../../snapshot.js';
import { EngineState, judgement, type Judgement } from '../rule.js';
import {
  CONTROLLER_ON_CLAUSE,
  ControllerSetting,
  INCLUDE_CONFIG_MAP_FIX,
  controllerOffClause,
  controllerSetting,
  controllerUnreadClause,
  enableControllerRemediation,
} from './config-map.js';

/** The label EKS puts on its Auto Mode nodes, with the value `auto`. */
const COMPUTE_TYPE_LABEL = 'eks.amazonaws.com/compute-type';

/** How the cluster was recognised as EKS Auto Mode: describe-cluster's computeConfig, labelled nodes, or both. */
export interface AutoMode {
  /** `computeConfig.enabled` is true in describe-cluster. */
  computeConfigEnabled: boolean;
  /** Nodes labelled `eks.amazonaws.com/compute-type: auto` (0 when Nodes were not read). */
  autoModeNodes: number;
}

/** The cluster's EKS Auto Mode, or `undefined` when neither describe-cluster nor any node says it runs it. */
export function eksAutoMode(snapshot: ClusterSnapshot): AutoMode | undefined {
  const computeConfigEnabled = snapshot.eks?.computeConfig?.enabled === true;
  const autoModeNodes = (snapshot.kube.nodes ?? []).filter(
    (node) => node.metadata.labels?.[COMPUTE_TYPE_LABEL] === 'auto',
  ).length;
  return computeConfigEnabled || autoModeNodes > 0 ? { computeConfigEnabled, autoModeNodes } : undefined;
}

/** How evidence names EKS Auto Mode: the basis of a verdict resting on its managed agent, and that agent's manager. */
export const AUTO_MODE_BASIS = 'eks-auto-mode';

/** The evidence that the cluster runs EKS Auto Mode, in the finding record's snake_case. */
export function autoModeEvidence(autoMode: AutoMode): Record<string, unknown> {
  return { compute_config_enabled: autoMode.computeConfigEnabled, auto_mode_nodes: autoMode.autoModeNodes };
}

/** How to turn NetworkPolicy on under EKS Auto Mode, where the vpc-cni add-on configuration does not apply. */
const AUTO_MODE_REMEDIATION = enableControllerRemediation(
  'Turn on the network policy controller of EKS Auto Mode (the vpc-cni add-on configuration does not apply to ' +
    "Auto Mode nodes; a NodeClass's spec.networkPolicy only chooses DefaultAllow or DefaultDeny for pods no policy " +
    'selects).',
);

/** Whether the VPC CNI agent EKS Auto Mode runs on its nodes enforces, from the amazon-vpc-cni ConfigMap. */
export function judgeAutoMode(autoMode: AutoMode, snapshot: ClusterSnapshot): Judgement {
  const runs = `EKS Auto Mode (${recognisedBy(autoMode)}) runs the VPC CNI's node agent on the nodes it manages`;
  const setting = controllerSetting(snapshot);
  if (setting === ControllerSetting.Unread) {
    return judgement(
      EngineState.Unknown,
      `${runs} but ${controllerUnreadClause(snapshot)}, so whether its network policy controller is on cannot be told`,
      INCLUDE_CONFIG_MAP_FIX,
    );
  }
  if (setting !== ControllerSetting.On) {
    return judgement(
      EngineState.NotEnforcing,
      `${runs} but ${controllerOffClause(setting)}, so its network policy controller is off and the agent ` +
        'enforces no NetworkPolicy',
      AUTO_MODE_REMEDIATION,
    );
  }
  return judgement(EngineState.Enforcing, `${runs} and ${CONTROLLER_ON_CLAUSE}`);
}

function recognisedBy(autoMode: AutoMode): string {
  const count = autoMode.autoModeNodes;
  const nodes = `${countOf(count, 'node')} ${count === 1 ? 'is' : 'are'} labelled ${COMPUTE_TYPE_LABEL}: auto`;
  if (!autoMode.computeConfigEnabled) return nodes;
  return autoMode.autoModeNodes > 0 ? `computeConfig.enabled is true and ${nodes}` : 'computeConfig.enabled is true';
}
