/**
 * Builders for the snapshots engine detection reads: DaemonSets of each engine, the ConfigMaps they depend on, the EKS
 * vpc-cni add-on and NetworkPolicies. Each builder makes the smallest object that is still a faithful kubectl shape.
 */
import type { AuditContext } from '../../../lambda/audit/check.js';
import type { EngineVerdict } from '../../../lambda/audit/engines/engine-verdict.js';
import type { AuditModel } from '../../../lambda/audit/model.js';
import { detectEngine } from '../../../lambda/audit/engines.js';
import { DEFAULT_EXCLUDED_NAMESPACES } from '../../../lambda/audit/finding.js';
import type {
  ClusterSnapshot,
  CollectionProblem,
  ConfigMap,
  Container,
  DaemonSet,
  EksAddon,
  EksCluster,
  KubeInventory,
  NetworkPolicy,
  Node,
} from '../../../lambda/audit/snapshot.js';

/** A snapshot of cluster `prod` in eu-west-1 with only what the case gives. */
export function snapshot(
  kube: KubeInventory,
  more: { addons?: EksAddon[]; problems?: CollectionProblem[]; region?: string; eks?: EksCluster } = {},
): ClusterSnapshot {
  return {
    cluster: { name: 'prod', region: more.region ?? 'eu-west-1' },
    ...(more.eks ? { eks: more.eks } : {}),
    kube,
    addons: more.addons,
    problems: more.problems ?? [],
  };
}

/** `aws eks describe-cluster` of `prod`, with EKS Auto Mode (`computeConfig.enabled`) as given. */
export function eksCluster(autoMode: boolean): EksCluster {
  return {
    name: 'prod',
    status: 'ACTIVE',
    computeConfig: { enabled: autoMode, ...(autoMode ? { nodePools: ['general-purpose', 'system'] } : {}) },
  };
}

/** A Node with the EKS compute type label given (`auto` for EKS Auto Mode nodes), or none. */
export function node(name: string, computeType?: string): Node {
  return {
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'kubernetes.io/os': 'linux',
        ...(computeType ? { 'eks.amazonaws.com/compute-type': computeType } : {}),
      },
    },
  };
}

/** A DaemonSet whose pod template runs `containers`, with an optional status. */
export function daemonSet(
  namespace: string,
  name: string,
  containers: Container[] = [{ name }],
  status?: DaemonSet['status'],
): DaemonSet {
  return {
    kind: 'DaemonSet',
    metadata: { name, namespace },
    spec: { selector: { matchLabels: { 'k8s-app': name } }, template: { spec: { containers } } },
    ...(status ? { status } : {}),
  };
}

/** `kube-system/aws-node` as the VPC CNI add-on deploys it: the CNI container and the network policy agent. */
export function awsNode(
  options: { agentArgs?: string[]; agent?: boolean; env?: Container['env']; status?: DaemonSet['status']; image?: string } = {},
): DaemonSet {
  const cni: Container = {
    name: 'aws-node',
    ...(options.image === undefined ? {} : { image: options.image }),
    env: options.env ?? [{ name: 'AWS_VPC_K8S_CNI_LOGLEVEL', value: 'DEBUG' }],
  };
  const agent: Container = {
    name: 'aws-eks-nodeagent',
    args: options.agentArgs ?? ['--enable-network-policy=true', '--metrics-bind-addr=:8162'],
  };
  return daemonSet('kube-system', 'aws-node', options.agent === false ? [cni] : [cni, agent], options.status);
}

export function configMap(namespace: string, name: string, data: Record<string, string>): ConfigMap {
  return { kind: 'ConfigMap', metadata: { name, namespace }, data };
}

/** `kube-system/amazon-vpc-cni` with the network policy controller switched as given. */
export function vpcCniConfigMap(controller: string): ConfigMap {
  return configMap('kube-system', 'amazon-vpc-cni', {
    'enable-network-policy-controller': controller,
    'enable-windows-ipam': 'false',
  });
}

/** `cilium-config` in `namespace` with the given data. */
export function ciliumConfig(data: Record<string, string>, namespace = 'kube-system'): ConfigMap {
  return configMap(namespace, 'cilium-config', data);
}

/** The `vpc-cni` EKS add-on as `aws eks describe-addon` returns it. */
export function vpcCniAddon(configurationValues: string | undefined, addonVersion = 'v1.18.3-eksbuild.1'): EksAddon {
  return {
    addonName: 'vpc-cni',
    clusterName: 'prod',
    addonVersion,
    status: 'ACTIVE',
    ...(configurationValues === undefined ? {} : { configurationValues }),
  };
}

export function networkPolicy(namespace: string, name: string): NetworkPolicy {
  return { kind: 'NetworkPolicy', metadata: { name, namespace }, spec: { podSelector: {}, policyTypes: ['Ingress'] } };
}

/**
 * The audit context the runner builds, with the engine verdict computed by the real `detectEngine` unless a case
 * gives one. Engine checks never read the model, so an empty one stands in for it.
 */
export function auditContext(
  clusterSnapshot: ClusterSnapshot,
  engine: EngineVerdict = detectEngine(clusterSnapshot),
): AuditContext {
  return {
    snapshot: clusterSnapshot,
    options: {
      runId: 'run-1',
      observedAt: new Date('2025-01-01T00:00:00Z'),
      excludedNamespaces: DEFAULT_EXCLUDED_NAMESPACES,
    },
    model: {} as unknown as AuditModel,
    engine,
  };
}
