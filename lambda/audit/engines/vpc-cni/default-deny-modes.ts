/**
 * Settings that deny a pod's traffic when no policy selects it: the VPC CNI's strict enforcing mode (every pod) and
 * an EKS Auto Mode NodeClass with `networkPolicy: DefaultDeny` (the pods on its nodes). Both are the VPC CNI agent's
 * default-deny pod state (POLICY-APIS.md §1.3, §0.3), so they count only where the VPC CNI enforces.
 */
import { eksAutoMode } from './auto-mode.js';
import { readVpcCniAddon } from './addon.js';
import { EngineName, type EngineVerdict } from '../engine-verdict.js';
import { isAgentOf } from '../rule.js';
import { vpcCniFacts, vpcCniRule } from './agent.js';
import type { ClusterSnapshot, Node, Pod } from '../../snapshot.js';
import { GateState, versionGate, type GateReading } from '../versions.js';
import { STRICT_MODE_SINCE, VPC_CNI, vpcCniVersion } from './version.js';

/** The node label that names an EKS Auto Mode node's NodeClass. */
const NODE_CLASS_LABEL = 'eks.amazonaws.com/nodeclass';
const STRICT = 'strict';
const DEFAULT_DENY = 'DefaultDeny';

/** Where `NETWORK_POLICY_ENFORCING_MODE` was read and what it says. */
export interface EnforcingMode {
  mode: string;
  source: string;
}

/**
 * The VPC CNI's enforcing mode: the aws-node DaemonSet's env when DaemonSets were read (in-cluster evidence wins, and
 * without aws-node there is no agent to set), else the vpc-cni add-on's `env`; `undefined` when neither sets it.
 */
export function vpcCniEnforcingMode(snapshot: ClusterSnapshot): EnforcingMode | undefined {
  const daemonSets = snapshot.kube.daemonSets;
  if (daemonSets !== undefined) {
    const awsNode = daemonSets.find((daemonSet) => isAgentOf(vpcCniRule, daemonSet));
    const mode = awsNode ? vpcCniFacts(awsNode, snapshot).enforcingMode : undefined;
    return mode === undefined ? undefined : { mode, source: 'DaemonSet kube-system/aws-node' };
  }
  const mode = readVpcCniAddon(snapshot)?.enforcingMode;
  return mode === undefined ? undefined : { mode, source: 'the vpc-cni add-on configuration' };
}

/**
 * Whether strict mode is in force by the VPC CNI's version, when the enforcing mode says strict; `undefined` when it
 * does not (standard, or not set).
 */
export function strictModeGate(snapshot: ClusterSnapshot): GateReading | undefined {
  if (vpcCniEnforcingMode(snapshot)?.mode !== STRICT) return undefined;
  return versionGate(`strict mode (NETWORK_POLICY_ENFORCING_MODE=${STRICT})`, VPC_CNI, STRICT_MODE_SINCE, vpcCniVersion(snapshot));
}

/** The sentence an engine finding adds when strict mode is set but not (or not known to be) in force; empty otherwise. */
export function strictModeNote(snapshot: ClusterSnapshot): string {
  const gate = strictModeGate(snapshot);
  if (gate === undefined || gate.state === GateState.Met) return '';
  return gate.state === GateState.Below
    ? ` Strict mode is not in force: ${gate.clause}.`
    : ` Whether strict mode is in force cannot be told: ${gate.clause}.`;
}

/** A default deny whose being in force cannot be told: the clause it would add, and why it is not known. */
export interface UnsureDefaultDeny {
  clause: string;
  reason: string;
}

/** The default-deny settings in force, for the model. */
export interface DefaultDenyModes {
  /** The clause of the cluster-wide default deny (strict mode), when it is in force. */
  cluster?: string;
  /** Strict mode when it is set but the VPC CNI's version cannot tell whether it is in force. */
  unsure?: UnsureDefaultDeny;
  /** The clause of the default deny for `pod` (strict mode, or its node's NodeClass), when one is in force. */
  forPod(pod: Pod): string | undefined;
  /** The DefaultDeny NodeClass of `pod`'s node, when one is in force: a default deny of that pod only, not of its namespace. */
  nodeClassOf(pod: Pod): string | undefined;
  evidence: Record<string, unknown>;
}

const STRICT_CLAUSE = 'denied by default: VPC CNI strict mode, no policy selects it';

/** Reads the default-deny settings of `snapshot` that the enforcing engines honour. */
export function defaultDenyModes(snapshot: ClusterSnapshot, engine: EngineVerdict): DefaultDenyModes {
  const vpcCni = engine.enforcing.includes(EngineName.VpcCni);
  const enforcingMode = vpcCniEnforcingMode(snapshot);
  const gate = vpcCni ? strictModeGate(snapshot) : undefined;
  const strict = gate?.state === GateState.Met ? STRICT_CLAUSE : undefined;
  const nodeClassOf = vpcCni && eksAutoMode(snapshot) ? denyingNodeClasses(snapshot) : () => undefined;
  const nodeClassClause = (pod: Pod) => {
    const nodeClass = nodeClassOf(pod);
    return nodeClass === undefined ? undefined : `denied by default: NodeClass ${nodeClass} (networkPolicy: DefaultDeny) of node ${pod.spec?.nodeName}, no policy selects it`;
  };
  return {
    ...(strict ? { cluster: strict } : {}),
    ...(gate?.state === GateState.Unknown ? { unsure: { clause: STRICT_CLAUSE, reason: gate.clause } } : {}),
    forPod: (pod) => strict ?? nodeClassClause(pod),
    nodeClassOf,
    evidence: {
      enforcing_mode: enforcingMode?.mode ?? null,
      ...(enforcingMode ? { enforcing_mode_source: enforcingMode.source } : {}),
      ...(gate ? { strict_mode_in_force: gate.state === GateState.Unknown ? null : gate.state === GateState.Met, strict_mode_version: gate.clause } : {}),
    },
  };
}

/** The DefaultDeny NodeClass of a pod's node, through the node's `eks.amazonaws.com/nodeclass` label. */
function denyingNodeClasses(snapshot: ClusterSnapshot): (pod: Pod) => string | undefined {
  const denying = new Set(
    (snapshot.kube.nodeClasses ?? []).filter((nodeClass) => nodeClass.spec?.networkPolicy === DEFAULT_DENY).map((nodeClass) => nodeClass.metadata.name),
  );
  if (denying.size === 0) return () => undefined;
  const nodes = new Map<string, Node>((snapshot.kube.nodes ?? []).map((node) => [node.metadata.name, node]));
  return (pod) => {
    const nodeName = pod.spec?.nodeName;
    const nodeClass = nodeName === undefined ? undefined : nodes.get(nodeName)?.metadata.labels?.[NODE_CLASS_LABEL];
    return nodeClass !== undefined && denying.has(nodeClass) ? nodeClass : undefined;
  };
}
