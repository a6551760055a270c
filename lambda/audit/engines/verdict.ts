/**
 * The engine verdict: combines the judgements of every engine found (the DaemonSet rules, and EKS Auto Mode's
 * managed agent) into PASS, FAIL or UNKNOWN with its message, remediation and evidence. In-cluster evidence wins; the
 * EKS vpc-cni add-on configuration decides only when the DaemonSets were not read.
 */
import { EngineName, type EngineVerdict } from './engine-verdict.js';
import { Status } from '../finding.js';
import { withoutUndefined } from '../records.js';
import type { ClusterSnapshot, DaemonSet } from '../snapshot.js';
import { addonDecision, addonEvidence, readVpcCniAddon, type AddonReading } from './vpc-cni/addon.js';
import { AUTO_MODE_BASIS, autoModeEvidence, eksAutoMode, judgeAutoMode, type AutoMode } from './vpc-cni/auto-mode.js';
import { vpcCniReading } from './vpc-cni/drift.js';
import { policyCountEvidence, noEngineSentence } from './inert-policies.js';
import { inClusterDaemonSets, qualifiedName, reasonSuffix, type MissingInput } from './inputs.js';
import { nonEngineEvidence, nonEngineSentences } from './non-engines.js';
import { enableRemediation } from './vpc-cni/remediation.js';
import { EngineState, isAgentOf, type Judgement } from './rule.js';
import { ENGINE_RULES } from './rules/index.js';
import { controllerFlag, controllerSetting } from './vpc-cni/config-map.js';
import { strictModeNote } from './vpc-cni/default-deny-modes.js';
import { capitalised, distinct, joinRemediation, listOf } from './wording.js';

/** A judgement of an engine found in the cluster, with its node agent (none for EKS Auto Mode's managed agent). */
interface Observation extends Judgement {
  engine: EngineName;
  agent?: DaemonSet;
  variant?: string;
}

/**
 * Decides which NetworkPolicy engines enforce on the cluster. PASS when at least one does (all are listed), FAIL when
 * the DaemonSets were read and none does (saying the cluster's NetworkPolicies are inert when there are any), UNKNOWN
 * when the input cannot decide. Never throws: unreadable add-on configuration is reported, not raised.
 */
export function detectEngine(snapshot: ClusterSnapshot): EngineVerdict {
  const addon = readVpcCniAddon(snapshot);
  const autoMode = eksAutoMode(snapshot);
  const daemonSets = inClusterDaemonSets(snapshot);
  if (Array.isArray(daemonSets)) return verdictFromCluster(snapshot, daemonSets, addon, autoMode);
  return autoMode
    ? verdictFromAutoMode(snapshot, autoMode, daemonSets)
    : verdictFromAddon(snapshot, addon, daemonSets);
}

/** The verdict from the DaemonSets and ConfigMaps read from the cluster; the add-on only fills gaps and shows drift. */
function verdictFromCluster(
  snapshot: ClusterSnapshot,
  daemonSets: DaemonSet[],
  addon: AddonReading | undefined,
  autoMode: AutoMode | undefined,
): EngineVerdict {
  const observations = [
    ...(autoMode ? [autoModeObservation(autoMode, snapshot)] : []),
    ...ENGINE_RULES.flatMap((rule): Observation[] => {
      const agent = daemonSets.find((daemonSet) => isAgentOf(rule, daemonSet));
      if (!agent) return [];
      return [{ engine: rule.engine, agent, variant: rule.variant, ...rule.judge(agent, snapshot) }];
    }),
  ];
  const vpcCni = vpcCniReading(daemonSets, snapshot, addon, autoMode);
  const enforcing = observations.filter((o) => o.state === EngineState.Enforcing);
  const evidence: Record<string, unknown> = {
    basis: autoMode ? AUTO_MODE_BASIS : 'in-cluster',
    engines_found: observations.map(observationEvidence),
    enforcing: distinct(enforcing.map((o) => o.engine)),
    ...(autoMode ? { auto_mode: autoModeEvidence(autoMode) } : {}),
    ...vpcCni.evidence,
    ...nonEngineEvidence(daemonSets),
    ...policyCountEvidence(snapshot),
  };
  const driftNote = vpcCni.drift ? ` The EKS add-on configuration disagrees with the cluster: ${vpcCni.drift}.` : '';

  if (enforcing.length > 0) {
    return {
      status: Status.Pass,
      enforcing: distinct(enforcing.map((o) => o.engine)),
      message:
        `NetworkPolicy is enforced by ${listOf(distinct(enforcing.map(describeEngine(vpcCni.enforcingMode))))}: ` +
        `${enforcing.map((o) => o.detail).join('; ')}.${driftNote}${enforcing.some((o) => o.engine === EngineName.VpcCni) ? strictModeNote(snapshot) : ''}`,
      evidence,
      agents: enforcing.flatMap((o) => (o.agent ? [o.agent] : [])),
    };
  }
  const undecided = observations.filter((o) => o.state === EngineState.Unknown);
  if (undecided.length > 0) {
    return {
      status: Status.Unknown,
      enforcing: [],
      message: `Cannot tell whether NetworkPolicy is enforced: ${undecided.map((o) => o.detail).join('; ')}.${
        driftNote
      }`,
      remediation: joinRemediation(undecided.map((o) => o.fix)),
      evidence,
      agents: [],
    };
  }
  return {
    status: Status.Fail,
    enforcing: [],
    message: [
      noEngineSentence(snapshot),
      ...observations.map((o) => `${capitalised(o.detail)}.`),
      ...nonEngineSentences(daemonSets),
    ]
      .join(' ')
      .concat(driftNote),
    remediation: joinRemediation([
      ...observations.map((o) => o.fix),
      enableRemediation(snapshot, daemonSets, addon, autoMode),
    ]),
    evidence,
    agents: [],
  };
}

/**
 * The verdict under EKS Auto Mode when the DaemonSets are missing: the managed agent needs no DaemonSet, so the
 * amazon-vpc-cni ConfigMap alone can show it enforcing (PASS); anything else stays UNKNOWN, since another engine's
 * DaemonSet could not be looked for.
 */
function verdictFromAutoMode(snapshot: ClusterSnapshot, autoMode: AutoMode, unread: MissingInput): EngineVerdict {
  const found = autoModeObservation(autoMode, snapshot);
  const evidence = withoutUndefined({
    basis: AUTO_MODE_BASIS,
    in_cluster_evidence: unread.reason,
    engines_found: [observationEvidence(found)],
    auto_mode: autoModeEvidence(autoMode),
    controller_flag: controllerFlag(controllerSetting(snapshot)),
    ...policyCountEvidence(snapshot),
  });
  if (found.state === EngineState.Enforcing) {
    return verdictWithoutAgents(
      Status.Pass,
      evidence,
      `NetworkPolicy is enforced by ${EngineName.VpcCni}: ${found.detail}. ` +
        `Other engines were not looked for because ${unread.reason}.`,
    );
  }
  return verdictWithoutAgents(
    Status.Unknown,
    evidence,
    `Cannot tell whether NetworkPolicy is enforced: ${found.detail}, and ${unread.reason}, so another engine ` +
      'cannot be ruled out.',
    joinRemediation([unread.remediation, found.fix]),
  );
}

/** The verdict when the DaemonSets are missing: only an enabled, recent enough add-on decides (PASS). */
function verdictFromAddon(
  snapshot: ClusterSnapshot,
  addon: AddonReading | undefined,
  unread: MissingInput,
): EngineVerdict {
  const decision = addonDecision(addon);
  const evidence = withoutUndefined({
    basis: 'eks-addon',
    in_cluster_evidence: unread.reason,
    ...addonEvidence(addon),
    ...policyCountEvidence(snapshot),
  });
  if (decision.state === EngineState.Enforcing) {
    return verdictWithoutAgents(
      Status.Pass,
      evidence,
      `NetworkPolicy is enforced by aws-vpc-cni according to the EKS add-on configuration: ${decision.detail}. ` +
        `This verdict rests on the add-on configuration because ${unread.reason}.${strictModeNote(snapshot)}`,
    );
  }
  const otherEngines =
    decision.state === EngineState.NotEnforcing ? ', and another engine such as Calico may be installed' : '';
  const addonSays =
    snapshot.addons === undefined
      ? `the EKS add-ons were not read${reasonSuffix(snapshot, 'eksAddons')}`
      : `${decision.detail}${otherEngines}`;
  return verdictWithoutAgents(
    Status.Unknown,
    evidence,
    `Cannot tell whether NetworkPolicy is enforced: ${unread.reason}, and the EKS add-on configuration cannot ` +
      `decide (${addonSays}).`,
    unread.remediation,
  );
}

/**
 * A verdict reached without the DaemonSets, so with no node agent to name: PASS means the VPC CNI enforces (only its
 * add-on configuration or EKS Auto Mode can show enforcement without them), UNKNOWN that the input cannot decide. The
 * evidence records the engines enforcing.
 */
function verdictWithoutAgents(
  status: typeof Status.Pass | typeof Status.Unknown,
  evidence: Record<string, unknown>,
  message: string,
  remediation?: string,
): EngineVerdict {
  const enforcing = status === Status.Pass ? [EngineName.VpcCni] : [];
  return {
    status,
    enforcing,
    message,
    ...(remediation === undefined ? {} : { remediation }),
    evidence: { ...evidence, enforcing: [...enforcing] },
    agents: [],
  };
}

function autoModeObservation(autoMode: AutoMode, snapshot: ClusterSnapshot): Observation {
  return { engine: EngineName.VpcCni, ...judgeAutoMode(autoMode, snapshot) };
}

/** One engine found, for evidence: its agent DaemonSet, or `managed_by` for the agent EKS Auto Mode runs itself. */
function observationEvidence({ engine, agent, variant, state, detail }: Observation): Record<string, unknown> {
  return {
    engine,
    ...(agent ? { daemon_set: qualifiedName(agent) } : { managed_by: AUTO_MODE_BASIS }),
    ...(variant ? { variant } : {}),
    state,
    detail,
  };
}

function describeEngine(enforcingMode: string | undefined): (o: Observation) => string {
  return (o) =>
    o.engine === EngineName.VpcCni && enforcingMode ? `${o.engine} (enforcing mode ${enforcingMode})` : o.engine;
}
