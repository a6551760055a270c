import { describe, expect, test } from '@jest/globals';
import { EngineName } from '../../lambda/audit/engines/engine-verdict.js';
import { daemonSetsUnread, detectEngine, engineOfAgent } from '../../lambda/audit/engines.js';
import { Status } from '../../lambda/audit/finding.js';
import type { ClusterSnapshot, KubeInventory } from '../../lambda/audit/snapshot.js';
import { parse } from 'yaml';
import {
  awsNode,
  ciliumConfig,
  daemonSet,
  eksCluster,
  networkPolicy,
  node,
  snapshot,
  vpcCniAddon,
  vpcCniConfigMap,
} from './engines/fixtures.js';

interface Case {
  name: string;
  input: ClusterSnapshot;
  status: string;
  enforcing: string[];
  /** Fragments the message must contain, each a fact the user needs. */
  says: string[];
  evidence?: Record<string, unknown>;
}

/** The test of one {@link Case}: detects the engine of its snapshot and compares the verdict with the case. */
function judgesCase({ input, status, enforcing, says, evidence }: Case): void {
  // Prepare: the case's snapshot. Act
  const verdict = detectEngine(input);

  // Assess
  expect(verdict.status).toBe(status);
  expect(verdict.enforcing).toEqual(enforcing);
  for (const fragment of says) expect(verdict.message).toContain(fragment);
  if (evidence) expect(verdict.evidence).toMatchObject(evidence);
}

const vpcOn = { daemonSets: [awsNode()], configMaps: [vpcCniConfigMap('true')] };
const calicoOperator = daemonSet('calico-system', 'calico-node');
const cilium = daemonSet('kube-system', 'cilium', [{ name: 'cilium-agent' }]);
const flannel = daemonSet('kube-flannel', 'kube-flannel-ds', [{ name: 'kube-flannel' }]);
const addonsNotRead = { daemonSets: undefined };
const nodeAgent = (agentArgs: string[], controller: string) =>
  snapshot({ daemonSets: [awsNode({ agentArgs })], configMaps: [vpcCniConfigMap(controller)] });
const kubeRouter = (args: string[]) =>
  snapshot({ daemonSets: [daemonSet('kube-system', 'kube-router', [{ name: 'kube-router', args }])] });
const only = (namespace: string, name: string, containers: string[]) =>
  snapshot({ daemonSets: [daemonSet(namespace, name, containers.map((container) => ({ name: container })))] });

const vpcCniCases: Case[] = [
  {
    name: 'agent flag and controller on in the cluster: VPC CNI enforces',
    input: snapshot(vpcOn),
    status: Status.Pass,
    enforcing: [EngineName.VpcCni],
    says: ['aws-vpc-cni', '--enable-network-policy=true', 'enable-network-policy-controller: "true"'],
    evidence: { basis: 'in-cluster', agent_flag: true, controller_flag: true },
  },
  {
    name: 'agent flag split across two args is read as its value',
    input: snapshot({ ...vpcOn, daemonSets: [awsNode({ agentArgs: ['--enable-network-policy', 'true'] })] }),
    status: Status.Pass,
    enforcing: [EngineName.VpcCni],
    says: ['--enable-network-policy=true'],
    evidence: { agent_flag: true },
  },
  {
    name: 'agent flag set in the container command through a shell wrapper',
    input: snapshot({
      daemonSets: [
        daemonSet('kube-system', 'aws-node', [
          { name: 'aws-node' },
          { name: 'aws-eks-nodeagent', command: ['/bin/sh', '-c', '/controller --enable-network-policy=true'] },
        ]),
      ],
      configMaps: [vpcCniConfigMap('true')],
    }),
    status: Status.Pass,
    enforcing: [EngineName.VpcCni],
    says: ['--enable-network-policy=true'],
  },
  {
    name: 'agent flag false split across two args',
    input: nodeAgent(['--enable-network-policy', 'false'], 'true'),
    status: Status.Fail,
    enforcing: [],
    says: ['runs with --enable-network-policy=false'],
  },
  {
    name: 'agent on but controller off: the agent enforces nothing',
    input: snapshot({ daemonSets: [awsNode()], configMaps: [vpcCniConfigMap('false')] }),
    status: Status.Fail,
    enforcing: [],
    says: [
      'does not set enable-network-policy-controller: "true"',
      'no NetworkPolicy is turned into PolicyEndpoints and the agent enforces nothing',
    ],
    evidence: { agent_flag: true, controller_flag: false },
  },
  {
    name: 'agent on but the amazon-vpc-cni ConfigMap does not exist: not enforcing',
    input: snapshot({ daemonSets: [awsNode()], configMaps: [] }),
    status: Status.Fail,
    enforcing: [],
    says: ['ConfigMap kube-system/amazon-vpc-cni does not exist'],
  },
  {
    name: 'agent on, ConfigMaps not read, add-on enabled: decided from the add-on',
    input: snapshot({ daemonSets: [awsNode()] }, { addons: [vpcCniAddon('{"enableNetworkPolicy":"true"}')] }),
    status: Status.Pass,
    enforcing: [EngineName.VpcCni],
    says: [
      'ConfigMap kube-system/amazon-vpc-cni was not read',
      'the vpc-cni add-on v1.18.3-eksbuild.1 has enableNetworkPolicy true',
    ],
  },
  {
    name: 'agent on, ConfigMaps not read, no add-on: UNKNOWN naming the ConfigMap and why',
    input: snapshot(
      { daemonSets: [awsNode()] },
      { problems: [{ kind: 'configMaps', reason: '403 Forbidden: get configmaps in kube-system' }] },
    ),
    status: Status.Unknown,
    enforcing: [],
    says: ['ConfigMap kube-system/amazon-vpc-cni was not read (403 Forbidden: get configmaps in kube-system)'],
  },
  {
    name: 'agent flag false: not enforcing',
    input: nodeAgent(['--enable-network-policy=false'], 'false'),
    status: Status.Fail,
    enforcing: [],
    says: ['runs with --enable-network-policy=false'],
    evidence: { agent_flag: false },
  },
  {
    name: 'agent flag absent: the agent default (false) applies',
    input: nodeAgent(['--metrics-bind-addr=:8162'], 'true'),
    status: Status.Fail,
    enforcing: [],
    says: ['runs without --enable-network-policy (its default is false)'],
  },
  {
    name: 'aws-node without the network policy agent (VPC CNI before v1.14): not enforcing',
    input: snapshot({ daemonSets: [awsNode({ agent: false })], configMaps: [] }),
    status: Status.Fail,
    enforcing: [],
    says: ['kube-system/aws-node has no aws-eks-nodeagent container'],
  },
  {
    name: 'add-on on but agent flag off: drift, in-cluster wins',
    input: {
      ...nodeAgent(['--enable-network-policy=false'], 'true'),
      addons: [vpcCniAddon('{"enableNetworkPolicy": true}')],
    },
    status: Status.Fail,
    enforcing: [],
    says: ['runs with --enable-network-policy=false', 'The EKS add-on configuration disagrees with the cluster'],
    evidence: {
      drift:
        'EKS add-on vpc-cni has enableNetworkPolicy true ' +
        'but the aws-eks-nodeagent container runs with --enable-network-policy=false',
      addon_version: 'v1.18.3-eksbuild.1',
      addon_enable_network_policy: true,
    },
  },
  {
    name: 'enforcing mode strict reported from the aws-node env',
    input: snapshot({
      ...vpcOn,
      daemonSets: [awsNode({ env: [{ name: 'NETWORK_POLICY_ENFORCING_MODE', value: 'strict' }] })],
    }),
    status: Status.Pass,
    enforcing: [EngineName.VpcCni],
    says: ['aws-vpc-cni (enforcing mode strict)'],
    evidence: { enforcing_mode: 'strict' },
  },
];

const addonCases: Case[] = [
  {
    name: 'add-on flag as a JSON string, DaemonSets not read: PASS from the add-on',
    input: snapshot(addonsNotRead, { addons: [vpcCniAddon('{"enableNetworkPolicy":"true"}')] }),
    status: Status.Pass,
    enforcing: [EngineName.VpcCni],
    says: [
      'according to the EKS add-on configuration',
      'rests on the add-on configuration because DaemonSets were not read',
    ],
    evidence: { basis: 'eks-addon', addon_enable_network_policy: 'true', addon_version: 'v1.18.3-eksbuild.1' },
  },
  {
    name: 'add-on flag as a YAML string: PASS from the add-on',
    input: snapshot(addonsNotRead, {
      addons: [vpcCniAddon('env:\n  WARM_IP_TARGET: "5"\nenableNetworkPolicy: "true"\n')],
    }),
    status: Status.Pass,
    enforcing: [EngineName.VpcCni],
    says: ['has enableNetworkPolicy true'],
  },
  {
    name: 'add-on flag as boolean true: PASS from the add-on',
    input: snapshot(addonsNotRead, { addons: [vpcCniAddon('enableNetworkPolicy: true')] }),
    status: Status.Pass,
    enforcing: [EngineName.VpcCni],
    says: ['has enableNetworkPolicy true'],
    evidence: { addon_enable_network_policy: true },
  },
  {
    name: 'add-on flag "false": the add-on cannot decide, another engine may exist',
    input: snapshot(addonsNotRead, { addons: [vpcCniAddon('{"enableNetworkPolicy":"false"}')] }),
    status: Status.Unknown,
    enforcing: [],
    says: [
      'DaemonSets were not read',
      'has enableNetworkPolicy false',
      'another engine such as Calico may be installed',
    ],
  },
  {
    name: 'add-on older than v1.14.0 (numerically: v1.9 < v1.14): not decided by the add-on',
    input: snapshot(addonsNotRead, { addons: [vpcCniAddon('{"enableNetworkPolicy":"true"}', 'v1.9.3-eksbuild.1')] }),
    status: Status.Unknown,
    enforcing: [],
    says: ['v1.9.3-eksbuild.1 has enableNetworkPolicy true but network policy needs v1.14.0 or later'],
  },
  {
    name: 'add-on exactly v1.14.0: recent enough',
    input: snapshot(addonsNotRead, { addons: [vpcCniAddon('{"enableNetworkPolicy":"true"}', 'v1.14.0-eksbuild.3')] }),
    status: Status.Pass,
    enforcing: [EngineName.VpcCni],
    says: ['v1.14.0-eksbuild.3'],
  },
  {
    name: 'add-on version that cannot be compared: UNKNOWN, not PASS',
    input: snapshot(addonsNotRead, { addons: [vpcCniAddon('{"enableNetworkPolicy":"true"}', 'latest')] }),
    status: Status.Unknown,
    enforcing: [],
    says: ['its version cannot be compared with v1.14.0'],
  },
  {
    name: 'configurationValues that is not an object: UNKNOWN saying so',
    input: snapshot(addonsNotRead, { addons: [vpcCniAddon('enableNetworkPolicy')] }),
    status: Status.Unknown,
    enforcing: [],
    says: ["the vpc-cni add-on's configurationValues is not a JSON or YAML object"],
  },
  {
    name: 'unparseable configurationValues: UNKNOWN saying so',
    input: snapshot(addonsNotRead, { addons: [vpcCniAddon('{"enableNetworkPolicy": "true"')] }),
    status: Status.Unknown,
    enforcing: [],
    says: ["the vpc-cni add-on's configurationValues cannot be parsed as JSON or YAML"],
  },
  {
    name: 'no DaemonSets read and no add-ons read: UNKNOWN',
    input: snapshot({ networkPolicies: [networkPolicy('team-a', 'deny')] }),
    status: Status.Unknown,
    enforcing: [],
    says: ['DaemonSets were not read', 'the EKS add-ons were not read'],
  },
  {
    name: 'DaemonSets forbidden: UNKNOWN with the problem reason',
    input: snapshot(addonsNotRead, {
      addons: [],
      problems: [{ kind: 'daemonSets', reason: '403 Forbidden: list daemonsets.apps at the cluster scope' }],
    }),
    status: Status.Unknown,
    enforcing: [],
    says: [
      'DaemonSets were not read: 403 Forbidden: list daemonsets.apps at the cluster scope',
      'there is no vpc-cni EKS add-on',
    ],
  },
  {
    name: "a 'cluster' problem with the add-on enabled: PASS from the add-on",
    input: snapshot(vpcOn, {
      addons: [vpcCniAddon('{"enableNetworkPolicy":"true"}')],
      problems: [{ kind: 'cluster', reason: 'the Kubernetes API answered 401 Unauthorized' }],
    }),
    status: Status.Pass,
    enforcing: [EngineName.VpcCni],
    says: ['because in-cluster objects were not read: the Kubernetes API answered 401 Unauthorized'],
    evidence: { basis: 'eks-addon' },
  },
];

const otherEngineCases: Case[] = [
  {
    name: 'Calico in kube-system',
    input: snapshot({ daemonSets: [daemonSet('kube-system', 'calico-node')] }),
    status: Status.Pass,
    enforcing: [EngineName.Calico],
    says: ['DaemonSet kube-system/calico-node runs Calico'],
  },
  {
    name: 'Calico installed by the Tigera operator in calico-system',
    input: snapshot({ daemonSets: [calicoOperator] }),
    status: Status.Pass,
    enforcing: [EngineName.Calico],
    says: ['DaemonSet calico-system/calico-node runs Calico'],
  },
  {
    name: 'calico-node in an unrelated namespace is not an engine',
    input: snapshot({ daemonSets: [daemonSet('team-a', 'calico-node')] }),
    status: Status.Fail,
    enforcing: [],
    says: ['No NetworkPolicy engine is enforcing'],
  },
  {
    name: 'VPC CNI and Calico together: PASS listing both',
    input: snapshot({ ...vpcOn, daemonSets: [awsNode(), calicoOperator] }),
    status: Status.Pass,
    enforcing: [EngineName.VpcCni, EngineName.Calico],
    says: ['enforced by aws-vpc-cni and calico'],
  },
  {
    name: 'Cilium with enable-policy missing (default): enforcing',
    input: snapshot({ daemonSets: [cilium], configMaps: [ciliumConfig({ 'cluster-name': 'prod' })] }),
    status: Status.Pass,
    enforcing: [EngineName.Cilium],
    says: ['runs Cilium with enable-policy: default'],
  },
  {
    name: 'Cilium in the cilium namespace with enable-policy always: enforcing',
    input: snapshot({
      daemonSets: [daemonSet('cilium', 'cilium')],
      configMaps: [ciliumConfig({ 'enable-policy': 'always' }, 'cilium')],
    }),
    status: Status.Pass,
    enforcing: [EngineName.Cilium],
    says: ['DaemonSet cilium/cilium runs Cilium with enable-policy: always'],
  },
  {
    name: 'Cilium with enable-policy never: not enforcing',
    input: snapshot({ daemonSets: [cilium], configMaps: [ciliumConfig({ 'enable-policy': 'never' })] }),
    status: Status.Fail,
    enforcing: [],
    says: ['sets enable-policy: never, so Cilium enforces no NetworkPolicy'],
  },
  {
    name: 'Cilium in policy audit mode: not enforcing, whatever enable-policy says',
    input: snapshot({ daemonSets: [cilium], configMaps: [ciliumConfig({ 'enable-policy': 'always', 'policy-audit-mode': 'true' })] }),
    status: Status.Fail,
    enforcing: [],
    says: ['sets policy-audit-mode: "true", so Cilium only logs what policy would drop and enforces nothing'],
  },
  {
    name: 'Cilium with policy-audit-mode false: enforcing',
    input: snapshot({ daemonSets: [cilium], configMaps: [ciliumConfig({ 'policy-audit-mode': 'false' })] }),
    status: Status.Pass,
    enforcing: [EngineName.Cilium],
    says: ['runs Cilium with enable-policy: default'],
  },
  {
    name: 'Cilium with an enable-policy value it does not know: UNKNOWN',
    input: snapshot({ daemonSets: [cilium], configMaps: [ciliumConfig({ 'enable-policy': 'strict' })] }),
    status: Status.Unknown,
    enforcing: [],
    says: ['sets enable-policy: "strict", which is none of default, always, never'],
  },
  {
    name: 'Cilium without its ConfigMap read: UNKNOWN',
    input: snapshot({ daemonSets: [cilium] }),
    status: Status.Unknown,
    enforcing: [],
    says: ['ConfigMap kube-system/cilium-config was not read'],
  },
  {
    name: 'Antrea',
    input: only('kube-system', 'antrea-agent', ['antrea-agent', 'antrea-ovs']),
    status: Status.Pass,
    enforcing: [EngineName.Antrea],
    says: ['runs Antrea'],
  },
  {
    name: 'Weave Net with weave-npc: enforcing',
    input: only('kube-system', 'weave-net', ['weave', 'weave-npc']),
    status: Status.Pass,
    enforcing: [EngineName.Weave],
    says: ['with its weave-npc policy controller'],
  },
  {
    name: 'Weave Net without weave-npc: not enforcing',
    input: only('kube-system', 'weave-net', ['weave']),
    status: Status.Fail,
    enforcing: [],
    says: ['runs Weave Net without its weave-npc container'],
  },
  {
    name: 'kube-router with its firewall on by default: enforcing',
    input: kubeRouter(['--run-router=true']),
    status: Status.Pass,
    enforcing: [EngineName.KubeRouter],
    says: ['runs kube-router with its firewall on'],
  },
  {
    name: 'kube-router with --run-firewall=false: not enforcing',
    input: kubeRouter(['--run-router=true', '--run-firewall=false']),
    status: Status.Fail,
    enforcing: [],
    says: ['runs kube-router with --run-firewall=false'],
  },
  {
    name: 'flannel only: FAIL, listed as a CNI without NetworkPolicy support',
    input: snapshot({ daemonSets: [flannel], networkPolicies: [] }),
    status: Status.Fail,
    enforcing: [],
    says: ['flannel (DaemonSet kube-flannel/kube-flannel-ds) is a CNI without NetworkPolicy support'],
    evidence: {
      non_enforcing_cnis: [
        { cni: 'flannel', daemon_set: 'kube-flannel/kube-flannel-ds', note: 'CNI without NetworkPolicy support' },
      ],
    },
  },
];

describe('detectEngine', () => {
  const cases = [...vpcCniCases, ...addonCases, ...otherEngineCases];
  test.each(cases)('$name', judgesCase);

  test('NetworkPolicies without an engine: the message says they are inert, with counts', () => {
    // Prepare: 9 policies in 4 namespaces, only flannel
    const policies = [
      ...['a', 'b', 'c'].map((name) => networkPolicy('team-a', name)),
      ...['a', 'b'].map((name) => networkPolicy('team-b', name)),
      ...['a', 'b'].map((name) => networkPolicy('team-c', name)),
      ...['a', 'b'].map((name) => networkPolicy('team-d', name)),
    ];

    // Act
    const verdict = detectEngine(snapshot({ daemonSets: [flannel], networkPolicies: policies }));

    // Assess
    expect(verdict.message).toMatch(
      /^NetworkPolicies exist in 4 namespaces \(9 policies\) but no engine enforces them: they are inert\. /,
    );
    expect(verdict.evidence).toMatchObject({ network_policies: 9, network_policy_namespaces: 4 });
  });

  test('a single inert policy is counted in the singular', () => {
    // Prepare / Act
    const verdict = detectEngine(snapshot({ daemonSets: [], networkPolicies: [networkPolicy('team-a', 'deny')] }));

    // Assess
    expect(verdict.message).toContain(
      'NetworkPolicies exist in 1 namespace (1 policy) but no engine enforces them: they are inert.',
    );
  });

  test('FAIL on EKS carries the update-addon command with the real cluster name and region', () => {
    // Prepare
    const input = snapshot(
      { daemonSets: [awsNode({ agentArgs: [] })], configMaps: [] },
      { addons: [vpcCniAddon(undefined)], region: 'us-east-2' },
    );

    // Act
    const verdict = detectEngine(input);

    // Assess
    expect(verdict.remediation).toContain(
      "aws eks update-addon --cluster-name prod --addon-name vpc-cni --configuration-values '" +
        `{"enableNetworkPolicy":"true"}' --resolve-conflicts PRESERVE --region us-east-2`,
    );
    expect(verdict.remediation).toContain('v1.14.0 or later');
    expect(verdict.remediation).toContain('Or install Calico or Cilium');
  });

  test('FAIL with a too old add-on says to update it first', () => {
    // Prepare
    const input = snapshot(
      { daemonSets: [awsNode({ agent: false })], configMaps: [] },
      { addons: [vpcCniAddon(undefined, 'v1.12.6-eksbuild.2')] },
    );

    // Act
    const verdict = detectEngine(input);

    // Assess
    expect(verdict.remediation).toContain('it is v1.12.6-eksbuild.2: update it with --addon-version first');
  });

  test('FAIL off EKS recommends installing an engine rather than an AWS command', () => {
    // Prepare / Act
    const verdict = detectEngine(snapshot({ daemonSets: [flannel] }));

    // Assess
    expect(verdict.remediation).toContain('Install a NetworkPolicy engine such as Calico or Cilium');
    expect(verdict.remediation).not.toContain('aws eks');
  });

  test('a not-enforcing engine found brings its own fix into the remediation', () => {
    // Prepare
    const input = snapshot({ daemonSets: [cilium], configMaps: [ciliumConfig({ 'enable-policy': 'never' })] });

    // Act
    const verdict = detectEngine(input);

    // Assess
    expect(verdict.remediation).toContain('Set enable-policy to "default" in ConfigMap kube-system/cilium-config');
  });

  test("a 'cluster' problem without an enabled add-on: UNKNOWN with the problem's reason and remediation", () => {
    // Prepare
    const problem = {
      kind: 'cluster' as const,
      reason: 'the Kubernetes API answered 401 Unauthorized',
      remediation: 'Create an access entry.',
    };

    // Act
    const verdict = detectEngine(snapshot(vpcOn, { addons: [], problems: [problem] }));

    // Assess
    expect(verdict.status).toBe(Status.Unknown);
    expect(verdict.message).toContain('in-cluster objects were not read: the Kubernetes API answered 401 Unauthorized');
    expect(verdict.remediation).toBe('Create an access entry.');
  });

  test('the agents are the node-agent DaemonSets of every enforcing engine', () => {
    // Prepare
    const kubeProxy = daemonSet('kube-system', 'kube-proxy');
    const input = snapshot({ ...vpcOn, daemonSets: [awsNode(), calicoOperator, flannel, kubeProxy] });

    // Act
    const verdict = detectEngine(input);

    // Assess
    expect(verdict.agents.map((agent) => `${agent.metadata.namespace}/${agent.metadata.name}`)).toEqual([
      'kube-system/aws-node',
      'calico-system/calico-node',
    ]);
  });

  test('an engine known only from the add-on has no agents to check', () => {
    // Prepare / Act
    const verdict = detectEngine(snapshot(addonsNotRead, { addons: [vpcCniAddon('{"enableNetworkPolicy":"true"}')] }));

    // Assess
    expect(verdict.agents).toEqual([]);
  });

  test('drift is reported when the add-on enables policy but aws-node does not exist', () => {
    // Prepare / Act
    const input = snapshot({ daemonSets: [calicoOperator] }, { addons: [vpcCniAddon('enableNetworkPolicy: "true"')] });
    const verdict = detectEngine(input);

    // Assess
    expect(verdict.status).toBe(Status.Pass);
    expect(verdict.evidence.drift).toBe(
      'EKS add-on vpc-cni has enableNetworkPolicy true but DaemonSet kube-system/aws-node does not exist',
    );
  });
});

describe('daemonSetsUnread', () => {
  test('is undefined when the DaemonSets were read, even if there are none', () => {
    // Prepare / Act / Assess
    expect(daemonSetsUnread(snapshot({ daemonSets: [] }))).toBeUndefined();
  });

  test("names the 'cluster' problem first, since no in-cluster object was read", () => {
    // Prepare
    const problems = [
      { kind: 'daemonSets' as const, reason: '403' },
      { kind: 'cluster' as const, reason: 'timeout' },
    ];
    const input = snapshot({}, { problems });

    // Act
    const missing = daemonSetsUnread(input);

    // Assess
    expect(missing?.reason).toBe('in-cluster objects were not read: timeout');
  });
});

describe('engineOfAgent', () => {
  test.each([
    ['kube-system', 'aws-node', EngineName.VpcCni],
    ['calico-system', 'calico-node', EngineName.Calico],
    ['cilium', 'cilium', EngineName.Cilium],
    ['default', 'aws-node', undefined],
  ])('%s/%s is the agent of %s', (namespace, name, engine) => {
    // Prepare / Act / Assess
    expect(engineOfAgent(daemonSet(namespace, name))).toBe(engine);
  });
});

const kubeProxy = daemonSet('kube-system', 'kube-proxy');
const autoModeOn = { eks: eksCluster(true) };
const autoNodes = [node('i-0a1b2c3d4e5f60001', 'auto'), node('i-0a1b2c3d4e5f60002', 'auto')];
const autoMode = (configMaps: KubeInventory['configMaps'], more: Partial<KubeInventory> = {}) =>
  snapshot({ daemonSets: [kubeProxy], configMaps, ...more }, autoModeOn);

const autoModeCases: Case[] = [
  {
    name: 'computeConfig.enabled and the controller on: the VPC CNI agent EKS manages enforces',
    input: autoMode([vpcCniConfigMap('true')]),
    status: Status.Pass,
    enforcing: [EngineName.VpcCni],
    says: [
      'enforced by aws-vpc-cni',
      'EKS Auto Mode (computeConfig.enabled is true) runs the VPC CNI\'s node agent',
      'ConfigMap kube-system/amazon-vpc-cni sets enable-network-policy-controller: "true"',
    ],
    evidence: {
      basis: 'eks-auto-mode',
      controller_flag: true,
      auto_mode: { compute_config_enabled: true, auto_mode_nodes: 0 },
      engines_found: [{ engine: EngineName.VpcCni, managed_by: 'eks-auto-mode', state: 'enforcing' }],
    },
  },
  {
    name: 'nodes labelled compute-type auto, without describe-cluster: Auto Mode all the same',
    input: snapshot({ daemonSets: [kubeProxy], configMaps: [vpcCniConfigMap('true')], nodes: autoNodes }),
    status: Status.Pass,
    enforcing: [EngineName.VpcCni],
    says: ['EKS Auto Mode (2 nodes are labelled eks.amazonaws.com/compute-type: auto)'],
    evidence: { basis: 'eks-auto-mode', auto_mode: { compute_config_enabled: false, auto_mode_nodes: 2 } },
  },
  {
    name: 'Auto Mode with the controller "false": FAIL, the managed agent enforces nothing',
    input: autoMode([vpcCniConfigMap('false')]),
    status: Status.Fail,
    enforcing: [],
    says: [
      'No NetworkPolicy engine is enforcing',
      'ConfigMap kube-system/amazon-vpc-cni does not set enable-network-policy-controller: "true"',
      'its network policy controller is off',
    ],
    evidence: { basis: 'eks-auto-mode', controller_flag: false },
  },
  {
    name: 'Auto Mode without the amazon-vpc-cni ConfigMap: FAIL saying it does not exist',
    input: autoMode([]),
    status: Status.Fail,
    enforcing: [],
    says: ['ConfigMap kube-system/amazon-vpc-cni does not exist'],
    evidence: { controller_flag: false },
  },
  {
    name: 'Auto Mode with ConfigMaps not read: UNKNOWN, not FAIL',
    input: autoMode(undefined, {}),
    status: Status.Unknown,
    enforcing: [],
    says: ['ConfigMap kube-system/amazon-vpc-cni was not read', 'whether its network policy controller is on'],
  },
  {
    name: 'Auto Mode with ConfigMaps forbidden: UNKNOWN naming why',
    input: snapshot(
      { daemonSets: [kubeProxy] },
      { ...autoModeOn, problems: [{ kind: 'configMaps', reason: '403 Forbidden: get configmaps in kube-system' }] },
    ),
    status: Status.Unknown,
    enforcing: [],
    says: ['ConfigMap kube-system/amazon-vpc-cni was not read (403 Forbidden: get configmaps in kube-system)'],
  },
  {
    name: 'Auto Mode, controller on, DaemonSets not read: PASS, the managed agent needs no DaemonSet',
    input: snapshot({ configMaps: [vpcCniConfigMap('true')] }, autoModeOn),
    status: Status.Pass,
    enforcing: [EngineName.VpcCni],
    says: ['EKS Auto Mode', 'Other engines were not looked for because DaemonSets were not read'],
    evidence: { basis: 'eks-auto-mode', in_cluster_evidence: 'DaemonSets were not read', controller_flag: true },
  },
  {
    name: 'Auto Mode, controller off, DaemonSets not read: UNKNOWN, another engine cannot be ruled out',
    input: snapshot({ configMaps: [vpcCniConfigMap('false')] }, autoModeOn),
    status: Status.Unknown,
    enforcing: [],
    says: ['its network policy controller is off', 'DaemonSets were not read', 'another engine cannot be ruled out'],
    evidence: { basis: 'eks-auto-mode', controller_flag: false },
  },
  {
    name: "Auto Mode and a 'cluster' problem: UNKNOWN, the ConfigMap cannot be trusted as read",
    input: snapshot(
      { daemonSets: [kubeProxy], configMaps: [vpcCniConfigMap('true')] },
      { ...autoModeOn, problems: [{ kind: 'cluster', reason: 'the Kubernetes API answered 401 Unauthorized' }] },
    ),
    status: Status.Unknown,
    enforcing: [],
    says: ['was not read', 'in-cluster objects were not read: the Kubernetes API answered 401 Unauthorized'],
  },
  {
    name: 'computeConfig.enabled false and no auto nodes: not Auto Mode, no engine',
    input: snapshot(
      { daemonSets: [kubeProxy], configMaps: [vpcCniConfigMap('true')], nodes: [node('ip-10-0-1-23', 'ec2')] },
      { eks: eksCluster(false) },
    ),
    status: Status.Fail,
    enforcing: [],
    says: ['No NetworkPolicy engine is enforcing'],
    evidence: { basis: 'in-cluster' },
  },
  {
    name: 'Auto Mode with the controller off but Calico running: Calico enforces',
    input: autoMode([vpcCniConfigMap('false')], { daemonSets: [kubeProxy, daemonSet('calico-system', 'calico-node')] }),
    status: Status.Pass,
    enforcing: [EngineName.Calico],
    says: ['enforced by calico'],
  },
  {
    name: 'Auto Mode beside a node group running aws-node, both on: aws-vpc-cni is listed once',
    input: autoMode([vpcCniConfigMap('true')], { daemonSets: [awsNode()] }),
    status: Status.Pass,
    enforcing: [EngineName.VpcCni],
    says: [
      'NetworkPolicy is enforced by aws-vpc-cni: EKS Auto Mode',
      'aws-eks-nodeagent container of kube-system/aws-node',
    ],
    evidence: { enforcing: [EngineName.VpcCni], agent_flag: true, controller_flag: true },
  },
];

const canal = (containers: string[], namespace = 'kube-system') =>
  daemonSet(namespace, 'canal', containers.map((name) => ({ name })));

const canalCases: Case[] = [
  {
    name: 'Canal with its calico-node container: Calico enforces, evidence names canal',
    input: snapshot({ daemonSets: [canal(['calico-node', 'kube-flannel'])] }),
    status: Status.Pass,
    enforcing: [EngineName.Calico],
    says: ['enforced by calico', 'DaemonSet kube-system/canal runs Canal', 'Calico on flannel networking'],
    evidence: {
      basis: 'in-cluster',
      engines_found: [
        { engine: EngineName.Calico, daemon_set: 'kube-system/canal', variant: 'canal', state: 'enforcing' },
      ],
    },
  },
  {
    name: 'Canal without calico-node: flannel alone, FAIL',
    input: snapshot({ daemonSets: [canal(['kube-flannel'])] }),
    status: Status.Fail,
    enforcing: [],
    says: ['runs Canal without its calico-node container', 'enforces no NetworkPolicy'],
  },
  {
    name: 'a canal DaemonSet outside kube-system is not an engine',
    input: snapshot({ daemonSets: [canal(['calico-node', 'kube-flannel'], 'team-a')] }),
    status: Status.Fail,
    enforcing: [],
    says: ['No NetworkPolicy engine is enforcing'],
  },
  {
    name: 'Canal beside calico-node: calico is listed once',
    input: snapshot({ daemonSets: [daemonSet('calico-system', 'calico-node'), canal(['calico-node'])] }),
    status: Status.Pass,
    enforcing: [EngineName.Calico],
    says: ['NetworkPolicy is enforced by calico: DaemonSet calico-system/calico-node runs Calico'],
  },
];

describe('detectEngine: EKS Auto Mode', () => {
  test.each(autoModeCases)('$name', judgesCase);

  test('FAIL remediation ends with the amazon-vpc-cni ConfigMap to apply, and no add-on command', () => {
    // Prepare
    const input = autoMode([vpcCniConfigMap('false')], { daemonSets: [kubeProxy, canal(['kube-flannel'])] });

    // Act
    const remediation = detectEngine(input).remediation ?? '';

    // Assess: the sentences come first, the manifest is whole and is the documented ConfigMap
    const manifestStart = remediation.indexOf('apiVersion: v1');
    expect(remediation.slice(0, manifestStart)).toContain('Restore the calico-node container');
    expect(remediation).toContain('`kubectl apply -f enable-network-policy.yaml`');
    expect(remediation).not.toContain('aws eks update-addon');
    expect(parse(remediation.slice(manifestStart))).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'amazon-vpc-cni', namespace: 'kube-system' },
      data: { 'enable-network-policy-controller': 'true' },
    });
  });

  test('UNKNOWN without DaemonSets asks for them first and still gives the ConfigMap to apply', () => {
    // Prepare
    const input = snapshot({ configMaps: [] }, autoModeOn);

    // Act
    const remediation = detectEngine(input).remediation ?? '';

    // Assess
    expect(remediation.startsWith('Include DaemonSets in the input')).toBe(true);
    expect(remediation).toContain('enable-network-policy-controller: "true"');
  });

  test('the managed agent has no DaemonSet: only DaemonSet agents are listed', () => {
    // Prepare
    const calico = daemonSet('calico-system', 'calico-node');
    const input = autoMode([vpcCniConfigMap('true')], { daemonSets: [kubeProxy, calico] });

    // Act
    const verdict = detectEngine(input);

    // Assess
    expect(verdict.enforcing).toEqual([EngineName.VpcCni, EngineName.Calico]);
    expect(verdict.agents).toEqual([calico]);
  });

  test('an add-on enabling policy is no drift when Auto Mode explains the missing aws-node', () => {
    // Prepare
    const input = snapshot(
      { daemonSets: [kubeProxy], configMaps: [vpcCniConfigMap('true')] },
      { ...autoModeOn, addons: [vpcCniAddon('{"enableNetworkPolicy":"true"}')] },
    );

    // Act
    const verdict = detectEngine(input);

    // Assess
    expect(verdict.status).toBe(Status.Pass);
    expect(verdict.evidence).not.toHaveProperty('drift');
  });
});

describe('detectEngine: Canal', () => {
  test.each(canalCases)('$name', judgesCase);

  test('both Calico agents are checked for health', () => {
    // Prepare
    const canalAgent = canal(['calico-node', 'kube-flannel']);
    const calico = daemonSet('calico-system', 'calico-node');

    // Act
    const verdict = detectEngine(snapshot({ daemonSets: [calico, canalAgent] }));

    // Assess
    expect(verdict.agents).toEqual([calico, canalAgent]);
  });

  test('engineOfAgent names Calico for the canal DaemonSet', () => {
    // Prepare / Act / Assess
    expect(engineOfAgent(canal(['calico-node']))).toBe(EngineName.Calico);
  });
});

describe('detectEngine: a missing cilium-config', () => {
  test('with ConfigMaps read (taken as read with Pods), it is absent from the input, not unread', () => {
    // Prepare
    const input = snapshot({ daemonSets: [cilium], configMaps: [vpcCniConfigMap('false')] });

    // Act
    const verdict = detectEngine(input);

    // Assess
    expect(verdict.status).toBe(Status.Unknown);
    expect(verdict.message).toContain('ConfigMap kube-system/cilium-config is absent from the input');
    expect(verdict.message).not.toContain('was not read');
  });
});
