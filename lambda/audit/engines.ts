/**
 * Engine detection: which NetworkPolicy engine enforces policies on a cluster. In-cluster evidence (the engines' node
 * agent DaemonSets and their ConfigMaps) wins; the EKS vpc-cni add-on configuration decides only when the in-cluster
 * objects were not read, and any disagreement between the two is reported as drift.
 */
import { parse } from 'yaml';
import { EngineName, type EngineVerdict } from './check.js';
import { Status } from './finding.js';
import type { ClusterSnapshot, ConfigMap, Container, DaemonSet, EksAddon, InventoryKind } from './snapshot.js';

/** The first vpc-cni add-on version that ships the network policy agent. */
const MIN_ADDON_VERSION = [1, 14, 0] as const;

const VPC_CNI_CONFIG_MAP = 'amazon-vpc-cni';
const CILIUM_CONFIG_MAP = 'cilium-config';

/** Why some input is missing, as a verdict can say it. */
export interface MissingInput {
  reason: string;
  remediation: string;
}

/**
 * Why the in-cluster objects engine detection needs are missing, or `undefined` when the DaemonSets were read. A
 * `cluster` problem (API unreachable, 401) wins over a per-kind problem; without any problem the DaemonSets were simply
 * not part of the input (an offline capture without them).
 */
export function daemonSetsUnread(snapshot: ClusterSnapshot): MissingInput | undefined {
  const daemonSets = inClusterDaemonSets(snapshot);
  return Array.isArray(daemonSets) ? undefined : daemonSets;
}

/** The DaemonSets read from the cluster, or why there are none to judge from. */
function inClusterDaemonSets(snapshot: ClusterSnapshot): DaemonSet[] | MissingInput {
  const clusterProblem = problemOf(snapshot, 'cluster');
  if (clusterProblem) {
    return {
      reason: `in-cluster objects were not read: ${clusterProblem.reason}`,
      remediation: clusterProblem.remediation ?? 'Make the Kubernetes API reachable to the auditor and audit again.',
    };
  }
  if (snapshot.kube.daemonSets !== undefined) return snapshot.kube.daemonSets;
  const problem = problemOf(snapshot, 'daemonSets');
  return {
    reason: problem ? `DaemonSets were not read: ${problem.reason}` : 'DaemonSets were not read',
    remediation:
      problem?.remediation ??
      'Include DaemonSets in the input (`kubectl get daemonsets -A -o json`); ' +
        'the live audit needs list access to daemonsets.',
  };
}

/** The engine whose node agent `daemonSet` is, or `undefined` when it is not a known engine agent. */
export function engineOfAgent(daemonSet: DaemonSet): EngineName | undefined {
  return ENGINES.find((engine) => isAgentOf(engine, daemonSet))?.engine;
}

/**
 * Decides which NetworkPolicy engines enforce on the cluster. PASS when at least one does (all are listed), FAIL when
 * the DaemonSets were read and none does (saying the cluster's NetworkPolicies are inert when there are any), UNKNOWN
 * when the input cannot decide. Never throws: unreadable add-on configuration is reported, not raised.
 */
export function detectEngine(snapshot: ClusterSnapshot): EngineVerdict {
  const addon = readVpcCniAddon(snapshot);
  const daemonSets = inClusterDaemonSets(snapshot);
  return Array.isArray(daemonSets)
    ? verdictFromCluster(snapshot, daemonSets, addon)
    : verdictFromAddon(snapshot, addon, daemonSets);
}

/** The verdict from the DaemonSets and ConfigMaps read from the cluster; the add-on only fills gaps and shows drift. */
function verdictFromCluster(
  snapshot: ClusterSnapshot,
  daemonSets: DaemonSet[],
  addon: AddonReading | undefined,
): EngineVerdict {
  const observations = ENGINES.flatMap((rule): Observation[] => {
    const agent = daemonSets.find((daemonSet) => isAgentOf(rule, daemonSet));
    return agent ? [{ engine: rule.engine, agent, ...rule.judge(agent, snapshot, addon) }] : [];
  });
  const vpcCni = vpcCniEvidence(daemonSets, snapshot, addon);
  const evidence: Record<string, unknown> = {
    basis: 'in-cluster',
    enginesFound: observations.map(({ engine, agent, state, detail }) => ({
      engine,
      daemonSet: qualifiedName(agent),
      state,
      detail,
    })),
    enforcing: observations.filter((o) => o.state === 'enforcing').map((o) => o.engine),
    ...vpcCni.evidence,
    ...nonEngineEvidence(daemonSets),
    ...policyCountEvidence(snapshot),
  };
  const driftNote = vpcCni.drift ? ` The EKS add-on configuration disagrees with the cluster: ${vpcCni.drift}.` : '';

  const enforcing = observations.filter((o) => o.state === 'enforcing');
  if (enforcing.length > 0) {
    return {
      status: Status.Pass,
      enforcing: enforcing.map((o) => o.engine),
      message:
        `NetworkPolicy is enforced by ${listOf(enforcing.map(describeEngine(vpcCni.enforcingMode)))}: ` +
        `${enforcing.map((o) => o.detail).join('; ')}.${driftNote}`,
      evidence,
      agents: enforcing.map((o) => o.agent),
    };
  }
  const undecided = observations.filter((o) => o.state === 'unknown');
  if (undecided.length > 0) {
    return {
      status: Status.Unknown,
      enforcing: [],
      message: `Cannot tell whether NetworkPolicy is enforced: ${undecided.map((o) => o.detail).join('; ')}.${
        driftNote
      }`,
      remediation: undecided.map((o) => o.fix).join(' '),
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
    remediation: [...observations.map((o) => o.fix), enableRemediation(snapshot, daemonSets, addon)]
      .filter(Boolean)
      .join(' '),
    evidence,
    agents: [],
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Engines found in the cluster

type EngineState = 'enforcing' | 'not-enforcing' | 'unknown';

/** What one engine's node agent (and its configuration) says. */
interface Judgement {
  state: EngineState;
  /** Why the engine is in that state, as a clause of a sentence. */
  detail: string;
  /** What would make it enforce (not-enforcing) or what input would decide it (unknown); empty if nothing to add. */
  fix: string;
}

/** A judgement of an engine found in the cluster, with its node agent. */
interface Observation extends Judgement {
  engine: EngineName;
  agent: DaemonSet;
}

interface EngineRule {
  engine: EngineName;
  daemonSet: string;
  namespaces: readonly string[];
  judge(agent: DaemonSet, snapshot: ClusterSnapshot, addon: AddonReading | undefined): Judgement;
}

/** Each engine's node-agent DaemonSet, where its installers put it, and how to tell whether it enforces. */
const ENGINES: readonly EngineRule[] = [
  { engine: EngineName.VpcCni, daemonSet: 'aws-node', namespaces: ['kube-system'], judge: judgeVpcCni },
  // The Tigera operator installs Calico into calico-system; manifests install it into kube-system.
  {
    engine: EngineName.Calico,
    daemonSet: 'calico-node',
    namespaces: ['kube-system', 'calico-system'],
    judge: alwaysEnforcing('Calico'),
  },
  { engine: EngineName.Cilium, daemonSet: 'cilium', namespaces: ['kube-system', 'cilium'], judge: judgeCilium },
  {
    engine: EngineName.Antrea,
    daemonSet: 'antrea-agent',
    namespaces: ['kube-system'],
    judge: alwaysEnforcing('Antrea'),
  },
  { engine: EngineName.Weave, daemonSet: 'weave-net', namespaces: ['kube-system'], judge: judgeWeave },
  { engine: EngineName.KubeRouter, daemonSet: 'kube-router', namespaces: ['kube-system'], judge: judgeKubeRouter },
];

function isAgentOf(rule: EngineRule, daemonSet: DaemonSet): boolean {
  return daemonSet.metadata.name === rule.daemonSet && rule.namespaces.includes(daemonSet.metadata.namespace ?? '');
}

function alwaysEnforcing(product: string): EngineRule['judge'] {
  return (agent) =>
    judgement('enforcing', `DaemonSet ${qualifiedName(agent)} runs ${product}, which enforces NetworkPolicy`);
}

function judgement(state: EngineState, detail: string, fix = ''): Judgement {
  return { state, detail, fix };
}

function isAwsNode(daemonSet: DaemonSet): boolean {
  return engineOfAgent(daemonSet) === EngineName.VpcCni;
}

/** The VPC CNI enforces only when its node agent has the flag on AND the controller writing PolicyEndpoints runs. */
function judgeVpcCni(agent: DaemonSet, snapshot: ClusterSnapshot, addon: AddonReading | undefined): Judgement {
  const facts = vpcCniFacts(agent, snapshot);
  const where = `the aws-eks-nodeagent container of ${qualifiedName(agent)}`;
  if (!facts.hasAgentContainer) {
    return judgement(
      'not-enforcing',
      `DaemonSet ${qualifiedName(agent)} has no aws-eks-nodeagent container, so the VPC CNI enforces no ` +
        'NetworkPolicy (the agent ships with v1.14.0 and later)',
    );
  }
  if (!facts.agentFlag) {
    const how = facts.agentFlagSet
      ? 'runs with --enable-network-policy=false'
      : 'runs without --enable-network-policy (its default is false)';
    return judgement('not-enforcing', `${where} ${how}`);
  }
  const agentOn = `${where} runs with --enable-network-policy=true`;
  const configMap = `ConfigMap kube-system/${VPC_CNI_CONFIG_MAP}`;
  if (facts.controllerFlag === undefined) {
    const fromAddon = addonDecision(addon);
    if (fromAddon.state === 'enforcing') {
      return judgement(
        'enforcing',
        `${agentOn}; ${configMap} was not read, but ${fromAddon.detail}, which turns the network policy controller on`,
      );
    }
    return judgement(
      'unknown',
      `${agentOn} but ${configMap} was not read${reasonSuffix(snapshot, 'configMaps')}, so whether the network ` +
        'policy controller runs cannot be told',
      `Include ${configMap} in the input (\`kubectl -n kube-system get configmap ${VPC_CNI_CONFIG_MAP} -o json\`); ` +
        'the live audit needs get access to configmaps in kube-system.',
    );
  }
  if (!facts.controllerFlag) {
    const controller = facts.configMapExists
      ? `${configMap} does not set enable-network-policy-controller: "true"`
      : `${configMap} does not exist`;
    return judgement(
      'not-enforcing',
      `${agentOn} but ${controller}, so no NetworkPolicy is turned into PolicyEndpoints and the agent enforces nothing`,
    );
  }
  return judgement('enforcing', `${agentOn} and ${configMap} sets enable-network-policy-controller: "true"`);
}

/** Cilium enforces unless `enable-policy` is `never`; a missing key means `default`, which enforces. */
function judgeCilium(agent: DaemonSet, snapshot: ClusterSnapshot): Judgement {
  const namespace = agent.metadata.namespace ?? '';
  const config = findConfigMap(snapshot, namespace, CILIUM_CONFIG_MAP);
  const configMap = `ConfigMap ${namespace}/${CILIUM_CONFIG_MAP}`;
  if (!config) {
    // Cilium cannot run without its ConfigMap: when it is absent from what was read, it was not captured.
    return judgement(
      'unknown',
      `DaemonSet ${qualifiedName(agent)} runs Cilium but ${configMap} was not read` +
        `${reasonSuffix(snapshot, 'configMaps')}, so its enable-policy mode cannot be told`,
      `Include ${configMap} in the input (\`kubectl -n ${namespace} get configmap ${CILIUM_CONFIG_MAP} -o json\`).`,
    );
  }
  const mode = config.data?.['enable-policy'] ?? 'default';
  if (mode === 'never') {
    return judgement(
      'not-enforcing',
      `DaemonSet ${qualifiedName(agent)} runs Cilium but ${configMap} sets enable-policy: never, so Cilium enforces ` +
        'no NetworkPolicy',
      `Set enable-policy to "default" in ${configMap} and restart the Cilium agents ` +
        `(\`kubectl -n ${namespace} rollout restart ds/${agent.metadata.name}\`).`,
    );
  }
  return judgement('enforcing', `DaemonSet ${qualifiedName(agent)} runs Cilium with enable-policy: ${mode}`);
}

/** Weave Net enforces NetworkPolicy only through its separate weave-npc container. */
function judgeWeave(agent: DaemonSet): Judgement {
  if (containersOf(agent).some((container) => container.name === 'weave-npc')) {
    return judgement(
      'enforcing',
      `DaemonSet ${qualifiedName(agent)} runs Weave Net with its weave-npc policy controller`,
    );
  }
  return judgement(
    'not-enforcing',
    `DaemonSet ${qualifiedName(agent)} runs Weave Net without its weave-npc container, so it enforces no NetworkPolicy`,
    `Add Weave Net's weave-npc container to DaemonSet ${qualifiedName(agent)} ` +
      '(redeploy Weave Net from its standard manifest).',
  );
}

/** kube-router enforces NetworkPolicy through its firewall, which is on unless `--run-firewall=false`. */
function judgeKubeRouter(agent: DaemonSet): Judgement {
  const firewall = containersOf(agent)
    .map((container) => booleanFlag(container, 'run-firewall'))
    .find((value) => value !== undefined);
  if (firewall === false) {
    return judgement(
      'not-enforcing',
      `DaemonSet ${qualifiedName(agent)} runs kube-router with --run-firewall=false, so it enforces no NetworkPolicy`,
      `Remove --run-firewall=false from DaemonSet ${qualifiedName(agent)}.`,
    );
  }
  return judgement('enforcing', `DaemonSet ${qualifiedName(agent)} runs kube-router with its firewall on`);
}

// ---------------------------------------------------------------------------------------------------------------
// The VPC CNI's in-cluster flags, and their drift from the add-on configuration

interface VpcCniFacts {
  hasAgentContainer: boolean;
  /** The agent's --enable-network-policy value (false when not set: the agent's default). */
  agentFlag: boolean;
  agentFlagSet: boolean;
  /** `undefined` when the ConfigMaps were not read. */
  controllerFlag: boolean | undefined;
  configMapExists: boolean;
  enforcingMode: string | undefined;
}

function vpcCniFacts(awsNode: DaemonSet, snapshot: ClusterSnapshot): VpcCniFacts {
  const containers = containersOf(awsNode);
  const agent = containers.find((container) => container.name === 'aws-eks-nodeagent');
  const flag = agent ? booleanFlag(agent, 'enable-network-policy') : undefined;
  const configMap = findConfigMap(snapshot, 'kube-system', VPC_CNI_CONFIG_MAP);
  const configMapsRead = snapshot.kube.configMaps !== undefined;
  return {
    hasAgentContainer: agent !== undefined,
    agentFlag: flag === true,
    agentFlagSet: flag !== undefined,
    controllerFlag: configMapsRead ? configMap?.data?.['enable-network-policy-controller'] === 'true' : undefined,
    configMapExists: configMap !== undefined,
    enforcingMode: containers
      .flatMap((container) => container.env ?? [])
      .find((variable) => variable.name === 'NETWORK_POLICY_ENFORCING_MODE')?.value,
  };
}

/** The VPC CNI's flags for evidence, and the sentences where the add-on configuration disagrees with the cluster. */
function vpcCniEvidence(
  daemonSets: DaemonSet[],
  snapshot: ClusterSnapshot,
  addon: AddonReading | undefined,
): { evidence: Record<string, unknown>; drift?: string; enforcingMode?: string } {
  const awsNode = daemonSets.find(isAwsNode);
  const facts = awsNode ? vpcCniFacts(awsNode, snapshot) : undefined;
  const disagreements: string[] = [];
  if (addon && addon.parseError === undefined) {
    const addonSays = `EKS add-on vpc-cni ${addonFlagPhrase(addon)}`;
    if (!facts) {
      if (addon.enabled) disagreements.push(`${addonSays} but DaemonSet kube-system/aws-node does not exist`);
    } else {
      if (facts.agentFlag !== addon.enabled) {
        const agentRuns = facts.hasAgentContainer
          ? `the aws-eks-nodeagent container runs with --enable-network-policy=${facts.agentFlag}`
          : 'aws-node has no aws-eks-nodeagent container';
        disagreements.push(`${addonSays} but ${agentRuns}`);
      }
      if (facts.controllerFlag !== undefined && facts.controllerFlag !== addon.enabled) {
        const controller = facts.controllerFlag ? 'enables' : 'does not enable';
        disagreements.push(
          `${addonSays} but ConfigMap kube-system/${VPC_CNI_CONFIG_MAP} ${controller} the network policy controller`,
        );
      }
    }
  }
  const drift = disagreements.length > 0 ? disagreements.join('; ') : undefined;
  return {
    evidence: defined({
      ...addonEvidence(addon),
      agentFlag: facts?.hasAgentContainer ? facts.agentFlag : undefined,
      controllerFlag: facts?.controllerFlag,
      enforcingMode: facts?.enforcingMode,
      drift,
    }),
    drift,
    enforcingMode: facts?.enforcingMode,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The EKS vpc-cni add-on

/** What the vpc-cni add-on's configuration says. */
interface AddonReading {
  version?: string;
  /** `enableNetworkPolicy` as configured (`undefined` when not set). */
  flag?: unknown;
  /** Whether `enableNetworkPolicy` is `"true"` or `true`. */
  enabled: boolean;
  /** Why `configurationValues` could not be read. */
  parseError?: string;
}

/** The vpc-cni add-on's reading; `undefined` when add-ons were not read or the cluster has no vpc-cni add-on. */
function readVpcCniAddon(snapshot: ClusterSnapshot): AddonReading | undefined {
  const addon = snapshot.addons?.find((candidate) => candidate.addonName === 'vpc-cni');
  if (!addon) return undefined;
  const values = parseConfigurationValues(addon);
  if (typeof values === 'string') return { version: addon.addonVersion, enabled: false, parseError: values };
  const flag = values.enableNetworkPolicy;
  return { version: addon.addonVersion, flag, enabled: flag === true || flag === 'true' };
}

/** The add-on's configuration as an object, or why it cannot be read. The `yaml` parser reads JSON as well. */
function parseConfigurationValues(addon: EksAddon): Record<string, unknown> | string {
  const text = addon.configurationValues ?? '';
  let values: unknown;
  try {
    values = parse(text);
  } catch (error) {
    // The parser's message continues with an excerpt of the input; its first line says what and where.
    const firstLine = (error instanceof Error ? error.message : String(error)).split('\n')[0].replace(/:$/, '');
    return `the vpc-cni add-on's configurationValues cannot be parsed as JSON or YAML: ${firstLine}`;
  }
  if (values === null || values === undefined) return {};
  if (typeof values !== 'object' || Array.isArray(values)) {
    return "the vpc-cni add-on's configurationValues is not a JSON or YAML object";
  }
  return values as Record<string, unknown>;
}

/** What the add-on configuration alone decides. */
function addonDecision(addon: AddonReading | undefined): { state: EngineState; detail: string } {
  if (!addon) return { state: 'unknown', detail: 'there is no vpc-cni EKS add-on configuration to decide from' };
  if (addon.parseError) return { state: 'unknown', detail: addon.parseError };
  const named = `the vpc-cni add-on${addon.version ? ` ${addon.version}` : ''}`;
  if (!addon.enabled) return { state: 'not-enforcing', detail: `${named} ${addonFlagPhrase(addon)}` };
  const supported = supportsNetworkPolicy(addon.version);
  if (supported === undefined) {
    return {
      state: 'unknown',
      detail: `${named} ${addonFlagPhrase(addon)} but its version cannot be compared with v1.14.0`,
    };
  }
  if (!supported) {
    return {
      state: 'not-enforcing',
      detail: `${named} ${addonFlagPhrase(addon)} but network policy needs v1.14.0 or later`,
    };
  }
  return { state: 'enforcing', detail: `${named} ${addonFlagPhrase(addon)}` };
}

function addonFlagPhrase(addon: AddonReading): string {
  return addon.flag === undefined
    ? 'does not set enableNetworkPolicy'
    : `has enableNetworkPolicy ${String(addon.flag)}`;
}

/** Compares `v1.18.3-eksbuild.1` numerically with v1.14.0; `undefined` when the version is missing or malformed. */
function supportsNetworkPolicy(version: string | undefined): boolean | undefined {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version ?? '');
  if (!match) return undefined;
  const parts = match.slice(1).map(Number);
  const differing = parts.findIndex((part, index) => part !== MIN_ADDON_VERSION[index]);
  return differing === -1 || parts[differing] > MIN_ADDON_VERSION[differing];
}

function addonEvidence(addon: AddonReading | undefined): Record<string, unknown> {
  if (!addon) return {};
  return {
    addonVersion: addon.version,
    addonEnableNetworkPolicy: addon.flag,
    addonConfigurationError: addon.parseError,
  };
}

/** The verdict when the DaemonSets are missing: only an enabled, recent enough add-on decides (PASS). */
function verdictFromAddon(
  snapshot: ClusterSnapshot,
  addon: AddonReading | undefined,
  unread: MissingInput,
): EngineVerdict {
  const decision = addonDecision(addon);
  const evidence = defined({
    basis: 'eks-addon',
    inClusterEvidence: unread.reason,
    ...addonEvidence(addon),
    ...policyCountEvidence(snapshot),
  });
  if (decision.state === 'enforcing') {
    return {
      status: Status.Pass,
      enforcing: [EngineName.VpcCni],
      message:
        `NetworkPolicy is enforced by aws-vpc-cni according to the EKS add-on configuration: ${decision.detail}. ` +
        `This verdict rests on the add-on configuration because ${unread.reason}.`,
      evidence: { ...evidence, enforcing: [EngineName.VpcCni] },
      agents: [],
    };
  }
  const otherEngines = decision.state === 'not-enforcing' ? ', and another engine such as Calico may be installed' : '';
  const addonSays =
    snapshot.addons === undefined
      ? `the EKS add-ons were not read${reasonSuffix(snapshot, 'eksAddons')}`
      : `${decision.detail}${otherEngines}`;
  return {
    status: Status.Unknown,
    enforcing: [],
    message:
      `Cannot tell whether NetworkPolicy is enforced: ${unread.reason}, and the EKS add-on configuration cannot ` +
      `decide (${addonSays}).`,
    remediation: unread.remediation,
    evidence: { ...evidence, enforcing: [] },
    agents: [],
  };
}

// ---------------------------------------------------------------------------------------------------------------
// CNIs that are not engines, policy counts, remediation

/** CNIs that route pod traffic but enforce no NetworkPolicy, recognised by their DaemonSet names. */
const NON_ENGINES = [
  { cni: 'flannel', pattern: /flannel/ },
  { cni: 'kindnet', pattern: /kindnet/ },
  { cni: 'Multus', pattern: /multus/ },
] as const;

function nonEngines(daemonSets: DaemonSet[]): Array<{ cni: string; daemonSet: string }> {
  return daemonSets.flatMap((daemonSet) => {
    const match = NON_ENGINES.find(({ pattern }) => pattern.test(daemonSet.metadata.name));
    return match ? [{ cni: match.cni, daemonSet: qualifiedName(daemonSet) }] : [];
  });
}

function nonEngineEvidence(daemonSets: DaemonSet[]): Record<string, unknown> {
  const found = nonEngines(daemonSets);
  if (found.length === 0) return {};
  return { nonEnforcingCnis: found.map((entry) => ({ ...entry, note: 'CNI without NetworkPolicy support' })) };
}

function nonEngineSentences(daemonSets: DaemonSet[]): string[] {
  return nonEngines(daemonSets).map(
    ({ cni, daemonSet }) => `${cni} (DaemonSet ${daemonSet}) is a CNI without NetworkPolicy support.`,
  );
}

function policyCounts(snapshot: ClusterSnapshot): { policies: number; namespaces: number } | undefined {
  const policies = snapshot.kube.networkPolicies;
  if (policies === undefined) return undefined;
  const namespaces = new Set(policies.map((policy) => policy.metadata.namespace ?? 'default'));
  return { policies: policies.length, namespaces: namespaces.size };
}

function policyCountEvidence(snapshot: ClusterSnapshot): Record<string, unknown> {
  const counts = policyCounts(snapshot);
  return counts ? { networkPolicies: counts.policies, networkPolicyNamespaces: counts.namespaces } : {};
}

/** The FAIL verdict's first sentence: the policies are inert when there are any. */
function noEngineSentence(snapshot: ClusterSnapshot): string {
  const counts = policyCounts(snapshot);
  if (!counts || counts.policies === 0) {
    return 'No NetworkPolicy engine is enforcing on this cluster: any NetworkPolicy created would be inert.';
  }
  const where = `${plural(counts.namespaces, 'namespace')} (${plural(counts.policies, 'policy', 'policies')})`;
  return `NetworkPolicies exist in ${where} but no engine enforces them: they are inert.`;
}

/** How to get an engine: on EKS the VPC CNI's native policy (real cluster name and region); else Calico or Cilium. */
function enableRemediation(
  snapshot: ClusterSnapshot,
  daemonSets: DaemonSet[],
  addon: AddonReading | undefined,
): string {
  const onEks = snapshot.eks !== undefined || snapshot.addons !== undefined || daemonSets.some(isAwsNode);
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

// ---------------------------------------------------------------------------------------------------------------
// Small helpers

/** Boolean flag `--name` in a container's command and args, read as Go's flag parsers read it (the last one wins). */
function booleanFlag(container: Container, name: string): boolean | undefined {
  // Words are split on blanks too, so a shell wrapper (`sh -c "agent --flag=true"`) is read like separate args.
  const words = [...(container.command ?? []), ...(container.args ?? [])]
    .flatMap((arg) => arg.split(/\s+/))
    .filter(Boolean);
  let value: boolean | undefined;
  words.forEach((word, index) => {
    const match = /^--?([^=]+)(?:=(.*))?$/.exec(word);
    if (!match || match[1] !== name) return;
    if (match[2] !== undefined) {
      value = goBool(match[2]) ?? value;
      return;
    }
    // `--flag false` split across two args; a bare `--flag` means true.
    value = goBool(words[index + 1] ?? '') ?? true;
  });
  return value;
}

/** Go's strconv.ParseBool. */
function goBool(text: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  return undefined;
}

function containersOf(daemonSet: DaemonSet): Container[] {
  return daemonSet.spec?.template?.spec?.containers ?? [];
}

function findConfigMap(snapshot: ClusterSnapshot, namespace: string, name: string): ConfigMap | undefined {
  return snapshot.kube.configMaps?.find((c) => c.metadata.namespace === namespace && c.metadata.name === name);
}

function problemOf(snapshot: ClusterSnapshot, kind: InventoryKind) {
  return snapshot.problems.find((problem) => problem.kind === kind);
}

function reasonSuffix(snapshot: ClusterSnapshot, kind: InventoryKind): string {
  const problem = problemOf(snapshot, kind);
  return problem ? ` (${problem.reason})` : '';
}

function qualifiedName(object: DaemonSet): string {
  return `${object.metadata.namespace ?? 'default'}/${object.metadata.name}`;
}

function describeEngine(enforcingMode: string | undefined): (o: Observation) => string {
  return (o) =>
    o.engine === EngineName.VpcCni && enforcingMode ? `${o.engine} (enforcing mode ${enforcingMode})` : o.engine;
}

function listOf(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Drops `undefined` members so evidence holds only what was observed. */
function defined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}
