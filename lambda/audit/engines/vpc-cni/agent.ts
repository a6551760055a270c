/**
 * The Amazon VPC CNI's native policy: DaemonSet `kube-system/aws-node` with the `aws-eks-nodeagent` container. It
 * enforces only when the agent runs with `--enable-network-policy=true` AND the controller writing PolicyEndpoints is
 * on (ConfigMap `amazon-vpc-cni`); the add-on configuration stands in for the ConfigMap only when it was not read.
 */
import { EngineName } from '../engine-verdict.js';
import type { ClusterSnapshot, DaemonSet } from '../../snapshot.js';
import { addonDecision, readVpcCniAddon } from './addon.js';
import { envValue, booleanFlag } from '../flags.js';
import { containersOf, qualifiedName } from '../inputs.js';
import { EngineState, judgement, type EngineRule, type Judgement } from '../rule.js';
import {
  CONTROLLER_ON_CLAUSE,
  ControllerSetting,
  INCLUDE_CONFIG_MAP_FIX,
  VPC_CNI_CONFIG_MAP,
  controllerOffClause,
  controllerSetting,
  controllerUnreadClause,
} from './config-map.js';

const AGENT_CONTAINER = 'aws-eks-nodeagent';

/** What the aws-node DaemonSet and the amazon-vpc-cni ConfigMap say. */
export interface VpcCniFacts {
  hasAgentContainer: boolean;
  /** The agent's --enable-network-policy value (false when not set: the agent's default). */
  agentFlag: boolean;
  agentFlagSet: boolean;
  controller: ControllerSetting;
  /** NETWORK_POLICY_ENFORCING_MODE (standard/strict) from the aws-node env, when set. */
  enforcingMode: string | undefined;
}

/** The VPC CNI's in-cluster facts, read from `awsNode` and the snapshot's ConfigMaps. */
export function vpcCniFacts(awsNode: DaemonSet, snapshot: ClusterSnapshot): VpcCniFacts {
  const containers = containersOf(awsNode);
  const agent = containers.find((container) => container.name === AGENT_CONTAINER);
  const flag = agent ? booleanFlag(agent, 'enable-network-policy') : undefined;
  return {
    hasAgentContainer: agent !== undefined,
    agentFlag: flag === true,
    agentFlagSet: flag !== undefined,
    controller: controllerSetting(snapshot),
    enforcingMode: envValue(containers, 'NETWORK_POLICY_ENFORCING_MODE'),
  };
}

function judgeVpcCni(agent: DaemonSet, snapshot: ClusterSnapshot): Judgement {
  const facts = vpcCniFacts(agent, snapshot);
  const where = `the ${AGENT_CONTAINER} container of ${qualifiedName(agent)}`;
  if (!facts.hasAgentContainer) {
    return judgement(
      EngineState.NotEnforcing,
      `DaemonSet ${qualifiedName(agent)} has no ${AGENT_CONTAINER} container, so the VPC CNI enforces no ` +
        'NetworkPolicy (the agent ships with v1.14.0 and later)',
    );
  }
  if (!facts.agentFlag) {
    const how = facts.agentFlagSet
      ? 'runs with --enable-network-policy=false'
      : 'runs without --enable-network-policy (its default is false)';
    return judgement(EngineState.NotEnforcing, `${where} ${how}`);
  }
  const agentOn = `${where} runs with --enable-network-policy=true`;
  if (facts.controller === ControllerSetting.Unread) {
    const fromAddon = addonDecision(readVpcCniAddon(snapshot));
    if (fromAddon.state === EngineState.Enforcing) {
      return judgement(
        EngineState.Enforcing,
        `${agentOn}; ${VPC_CNI_CONFIG_MAP} was not read, but ${fromAddon.detail}, which turns the network policy ` +
          'controller on',
      );
    }
    return judgement(
      EngineState.Unknown,
      `${agentOn} but ${controllerUnreadClause(snapshot)}, ` +
        'so whether the network policy controller runs cannot be told',
      INCLUDE_CONFIG_MAP_FIX,
    );
  }
  if (facts.controller !== ControllerSetting.On) {
    return judgement(
      EngineState.NotEnforcing,
      `${agentOn} but ${controllerOffClause(facts.controller)}, so no NetworkPolicy is turned into PolicyEndpoints ` +
        'and the agent enforces nothing',
    );
  }
  return judgement(EngineState.Enforcing, `${agentOn} and ${CONTROLLER_ON_CLAUSE}`);
}

/** The VPC CNI's node agent, deployed by the vpc-cni add-on (or its manifest) into kube-system. */
export const vpcCniRule: EngineRule = {
  engine: EngineName.VpcCni,
  daemonSet: 'aws-node',
  namespaces: ['kube-system'],
  judge: judgeVpcCni,
};
