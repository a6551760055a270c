import type { KindBucket } from './kinds.js';

/**
 * The cluster snapshot: plain data that collection produces (offline files, the live Kubernetes API, the EKS API)
 * and that every check reads. Nothing in here talks to a network.
 *
 * A kind that is `undefined` in {@link KubeInventory} was not read (absent from the capture, or forbidden): checks that
 * need it answer UNKNOWN. An empty array means it was read and there are none.
 */

/** Kubernetes object metadata, limited to the fields the audit reads. */
export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  creationTimestamp?: string;
}

export interface OwnerReference {
  apiVersion?: string;
  kind: string;
  name: string;
  uid?: string;
  controller?: boolean;
}

/** A Kubernetes object as `kubectl get -o json` prints it; `kind` is always set by the loaders. */
export interface KubeObject {
  apiVersion?: string;
  kind: string;
  metadata: ObjectMeta;
}

export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export interface Namespace extends KubeObject {
  kind: 'Namespace';
  status?: { phase?: string };
}

export interface Container {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: Array<{ name: string; value?: string; valueFrom?: unknown }>;
}

export interface PodSpec {
  nodeName?: string;
  serviceAccountName?: string;
  hostNetwork?: boolean;
  schedulerName?: string;
  nodeSelector?: Record<string, string>;
  os?: { name?: string };
  containers?: Container[];
  initContainers?: Container[];
}

export interface Pod extends KubeObject {
  kind: 'Pod';
  spec?: PodSpec;
  status?: { phase?: string };
}

export interface NetworkPolicyPort {
  protocol?: string;
  port?: number | string;
  endPort?: number;
}

export interface IPBlock {
  cidr: string;
  except?: string[];
}

export interface NetworkPolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: IPBlock;
}

export interface NetworkPolicyIngressRule {
  from?: NetworkPolicyPeer[];
  ports?: NetworkPolicyPort[];
}

export interface NetworkPolicyEgressRule {
  to?: NetworkPolicyPeer[];
  ports?: NetworkPolicyPort[];
}

export interface NetworkPolicy extends KubeObject {
  kind: 'NetworkPolicy';
  spec?: {
    podSelector?: LabelSelector;
    policyTypes?: string[];
    ingress?: NetworkPolicyIngressRule[];
    egress?: NetworkPolicyEgressRule[];
  };
}

/** AWS ApplicationNetworkPolicy: NetworkPolicy's shape; an egress peer may name domains instead (Auto Mode only). */
export interface ApplicationNetworkPolicy extends KubeObject {
  kind: 'ApplicationNetworkPolicy';
  spec?: {
    podSelector?: LabelSelector;
    policyTypes?: string[];
    ingress?: NetworkPolicyIngressRule[];
    egress?: Array<{ to?: Array<NetworkPolicyPeer & { domainNames?: string[] }>; ports?: NetworkPolicyPort[] }>;
  };
}

/** A peer of an AWS ClusterNetworkPolicy rule: exactly one of these is set. */
export interface ClusterPolicyPeer {
  namespaces?: LabelSelector;
  pods?: { namespaceSelector?: LabelSelector; podSelector?: LabelSelector };
  /** CIDRs (egress only). */
  networks?: string[];
  domainNames?: string[];
}

/** A port of an AWS ClusterNetworkPolicy rule: exactly one of these is set. */
export interface ClusterPolicyPort {
  portNumber?: { protocol?: string; port?: number };
  portRange?: { protocol?: string; start?: number; end?: number };
  namedPort?: string;
}

/** A rule of an AWS ClusterNetworkPolicy: an action on traffic from (ingress) or to (egress) its peers. */
export interface ClusterPolicyRule {
  name?: string;
  action?: string;
  from?: ClusterPolicyPeer[];
  to?: ClusterPolicyPeer[];
  ports?: ClusterPolicyPort[];
}

/** AWS ClusterNetworkPolicy (`networking.k8s.aws`, cluster-scoped): tiered rules on the pods of its subject. */
export interface AwsClusterNetworkPolicy extends KubeObject {
  kind: 'ClusterNetworkPolicy';
  spec?: {
    tier?: string;
    priority?: number;
    subject?: { namespaces?: LabelSelector; pods?: { namespaceSelector?: LabelSelector; podSelector?: LabelSelector } };
    ingress?: ClusterPolicyRule[];
    egress?: ClusterPolicyRule[];
  };
}

/** The subject of an upstream admin policy, as the AWS ClusterNetworkPolicy's: namespaces, or pods of namespaces. */
export interface AdminPolicySubject {
  namespaces?: LabelSelector;
  pods?: { namespaceSelector?: LabelSelector; podSelector?: LabelSelector };
}

/** A peer of an upstream admin policy rule: exactly one of these is set (`nodes` and `networks` on egress only). */
export interface AdminPolicyPeer {
  namespaces?: LabelSelector;
  pods?: { namespaceSelector?: LabelSelector; podSelector?: LabelSelector };
  nodes?: LabelSelector;
  networks?: string[];
  domainNames?: string[];
}

/** A rule of a v1alpha1 AdminNetworkPolicy (`Allow`, `Deny`, `Pass`) or BaselineAdminNetworkPolicy (`Allow`, `Deny`). */
export interface AdminPolicyRule {
  name?: string;
  action?: string;
  from?: AdminPolicyPeer[];
  to?: AdminPolicyPeer[];
  /** The v1alpha1 ports, in the AWS ClusterNetworkPolicy's shape. */
  ports?: ClusterPolicyPort[];
}

/** `policy.networking.k8s.io/v1alpha1` AdminNetworkPolicy (cluster-scoped): rules before the namespace policies. */
export interface AdminNetworkPolicy extends KubeObject {
  kind: 'AdminNetworkPolicy';
  spec?: { priority?: number; subject?: AdminPolicySubject; ingress?: AdminPolicyRule[]; egress?: AdminPolicyRule[] };
}

/** `policy.networking.k8s.io/v1alpha1` BaselineAdminNetworkPolicy (the singleton `default`): rules after them. */
export interface BaselineAdminNetworkPolicy extends KubeObject {
  kind: 'BaselineAdminNetworkPolicy';
  spec?: { subject?: AdminPolicySubject; ingress?: AdminPolicyRule[]; egress?: AdminPolicyRule[] };
}

/** A port match of a v1alpha2 ClusterNetworkPolicy rule: one protocol's destination port, or a named port. */
export interface ClusterPolicyProtocol {
  tcp?: { destinationPort?: { number?: number; range?: { start?: number; end?: number } } };
  udp?: { destinationPort?: { number?: number; range?: { start?: number; end?: number } } };
  sctp?: { destinationPort?: { number?: number; range?: { start?: number; end?: number } } };
  destinationNamedPort?: string;
}

/** A rule of a v1alpha2 ClusterNetworkPolicy (`Accept`, `Deny`, `Pass`). */
export interface UpstreamClusterPolicyRule {
  name?: string;
  action?: string;
  from?: AdminPolicyPeer[];
  to?: AdminPolicyPeer[];
  protocols?: ClusterPolicyProtocol[];
}

/** `policy.networking.k8s.io/v1alpha2` ClusterNetworkPolicy (cluster-scoped, tiers Admin and Baseline). */
export interface UpstreamClusterNetworkPolicy extends KubeObject {
  kind: 'ClusterNetworkPolicy';
  spec?: {
    tier?: string;
    priority?: number;
    subject?: AdminPolicySubject;
    ingress?: UpstreamClusterPolicyRule[];
    egress?: UpstreamClusterPolicyRule[];
  };
}

/** Where an Antrea policy (or one of its rules) applies, or a peer of its rules: the fields the audit models. */
export interface AntreaPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: IPBlock;
  /** Any other field (`group`, `serviceAccount`, `namespaces`, `fqdn`, `nodeSelector`, …) names what the audit does not model. */
  [other: string]: unknown;
}

/** A rule of an Antrea policy: `Allow`, `Drop`, `Reject` or `Pass` on its peers (none: every source or destination). */
export interface AntreaRule {
  name?: string;
  action?: string;
  from?: AntreaPeer[];
  to?: AntreaPeer[];
  ports?: NetworkPolicyPort[];
  appliedTo?: AntreaPeer[];
}

/** The spec Antrea's ClusterNetworkPolicy and NetworkPolicy share: tier, priority, where it applies, its rules. */
export interface AntreaPolicySpec {
  tier?: string;
  priority?: number;
  appliedTo?: AntreaPeer[];
  ingress?: AntreaRule[];
  egress?: AntreaRule[];
}

/** Antrea ClusterNetworkPolicy (`crd.antrea.io`, cluster-scoped). */
export interface AntreaClusterNetworkPolicy extends KubeObject {
  kind: 'ClusterNetworkPolicy';
  spec?: AntreaPolicySpec;
}

/** Antrea NetworkPolicy (`crd.antrea.io`, namespaced): not the core NetworkPolicy. */
export interface AntreaNetworkPolicy extends KubeObject {
  kind: 'NetworkPolicy';
  spec?: AntreaPolicySpec;
}

/** What the VPC CNI's controller wrote for a NetworkPolicy or ApplicationNetworkPolicy of the same namespace. */
export interface PolicyEndpoint extends KubeObject {
  kind: 'PolicyEndpoint';
  spec?: { policyRef?: { name?: string; namespace?: string } };
}

/** What the VPC CNI's controller wrote for a ClusterNetworkPolicy. */
export interface ClusterPolicyEndpoint extends KubeObject {
  kind: 'ClusterPolicyEndpoint';
  spec?: { policyRef?: { name?: string } };
}

/** An EKS Auto Mode NodeClass; `spec.networkPolicy` is the stance of its nodes' pods that no policy selects. */
export interface NodeClass extends KubeObject {
  kind: 'NodeClass';
  spec?: { networkPolicy?: string };
}

/** A Cilium label selector: a LabelSelector whose keys may carry a source prefix (`k8s:app`, `any:app`, `reserved:host`). */
export type CiliumSelector = LabelSelector;

/** A port of a Cilium rule's `toPorts[].ports[]`: the port is a string (`"80"`, a named port), `"0"` or absent for all. */
export interface CiliumPort {
  port?: string;
  endPort?: number;
  protocol?: string;
}

/** The peers and ports of one entry of a Cilium rule's direction section (`ingress[]`, `egressDeny[]`, …). */
export interface CiliumRuleEntry {
  fromEndpoints?: CiliumSelector[];
  toEndpoints?: CiliumSelector[];
  fromEntities?: string[];
  toEntities?: string[];
  fromCIDR?: string[];
  toCIDR?: string[];
  fromCIDRSet?: Array<{ cidr?: string }>;
  toCIDRSet?: Array<{ cidr?: string }>;
  toPorts?: Array<{ ports?: CiliumPort[] }>;
}

/** One Cilium policy rule (`pkg/policy/api/rule.go`): its subject, its four direction sections, its default deny. */
export interface CiliumRule {
  endpointSelector?: CiliumSelector;
  /** Host firewall: the rule applies to nodes, not pods (CiliumClusterwideNetworkPolicy only). */
  nodeSelector?: CiliumSelector;
  ingress?: CiliumRuleEntry[];
  ingressDeny?: CiliumRuleEntry[];
  egress?: CiliumRuleEntry[];
  egressDeny?: CiliumRuleEntry[];
  enableDefaultDeny?: { ingress?: boolean; egress?: boolean };
}

/** What the Cilium operator and agents report of a policy; a `Valid` condition `False` means it was rejected. */
export interface CiliumPolicyStatus {
  conditions?: Array<{ type?: string; status?: string; message?: string }>;
}

/** CiliumNetworkPolicy (`cilium.io/v2`, namespaced): one rule in `spec`, or several in `specs`. */
export interface CiliumNetworkPolicy extends KubeObject {
  kind: 'CiliumNetworkPolicy';
  spec?: CiliumRule;
  specs?: CiliumRule[];
  status?: CiliumPolicyStatus;
}

/** CiliumClusterwideNetworkPolicy (`cilium.io/v2`, cluster-scoped): as a CiliumNetworkPolicy, across namespaces. */
export interface CiliumClusterwideNetworkPolicy extends KubeObject {
  kind: 'CiliumClusterwideNetworkPolicy';
  spec?: CiliumRule;
  specs?: CiliumRule[];
  status?: CiliumPolicyStatus;
}

/** What Cilium enforces on one endpoint for one direction (`EndpointPolicyDirection`). */
export interface CiliumEndpointDirection {
  enforcing?: boolean;
  state?: string;
}

/** A CiliumEndpoint (`cilium.io/v2`): one per pod Cilium manages, named as the pod, with the policy it enforces. */
export interface CiliumEndpoint extends KubeObject {
  kind: 'CiliumEndpoint';
  status?: { policy?: { ingress?: CiliumEndpointDirection; egress?: CiliumEndpointDirection } };
}

/** A source or destination of a Calico rule: selectors in Calico's language, networks, ports (POLICY-APIS.md §4.1). */
export interface CalicoEntityRule {
  selector?: string;
  notSelector?: string;
  namespaceSelector?: string;
  nets?: string[];
  notNets?: string[];
  ports?: Array<number | string>;
  notPorts?: Array<number | string>;
  serviceAccounts?: { names?: string[]; selector?: string };
  services?: { name?: string; namespace?: string };
}

/** A Calico rule: an action on the traffic its fields match; `Log` logs and goes on, `Pass` hands over to the next tier. */
export interface CalicoRule {
  action?: string;
  protocol?: number | string;
  notProtocol?: number | string;
  icmp?: unknown;
  notICMP?: unknown;
  http?: unknown;
  source?: CalicoEntityRule;
  destination?: CalicoEntityRule;
}

/** The spec shared by Calico's NetworkPolicy, GlobalNetworkPolicy and their staged twins. */
export interface CalicoPolicySpec {
  tier?: string;
  order?: number;
  selector?: string;
  /** GlobalNetworkPolicy only: the namespaces whose pods it applies to. */
  namespaceSelector?: string;
  serviceAccountSelector?: string;
  types?: string[];
  ingress?: CalicoRule[];
  egress?: CalicoRule[];
}

/** Calico `NetworkPolicy`, `GlobalNetworkPolicy` and their `Staged*` twins (`projectcalico.org/v3`, `crd.projectcalico.org/v1`). */
export interface CalicoPolicy extends KubeObject {
  spec?: CalicoPolicySpec;
}

/** Calico `StagedKubernetesNetworkPolicy`: a core NetworkPolicy's spec, staged (never enforced). */
export interface CalicoStagedKubernetesNetworkPolicy extends KubeObject {
  kind: 'StagedKubernetesNetworkPolicy';
  spec?: NetworkPolicy['spec'];
}

/** A Calico Tier: its order, and what happens to traffic no policy of it decides (`Deny` unless set to `Pass`). */
export interface CalicoTier extends KubeObject {
  kind: 'Tier';
  spec?: { order?: number; defaultAction?: string };
}

export interface DaemonSet extends KubeObject {
  kind: 'DaemonSet';
  spec?: { selector?: LabelSelector; template?: { metadata?: Partial<ObjectMeta>; spec?: PodSpec } };
  status?: {
    desiredNumberScheduled?: number;
    currentNumberScheduled?: number;
    numberReady?: number;
    numberAvailable?: number;
    numberUnavailable?: number;
    updatedNumberScheduled?: number;
  };
}

/** ReplicaSets and Jobs are only read for their ownerReferences (Pod → ReplicaSet → Deployment, Pod → Job → CronJob). */
export interface ReplicaSet extends KubeObject {
  kind: 'ReplicaSet';
}

export interface Job extends KubeObject {
  kind: 'Job';
}

export interface ConfigMap extends KubeObject {
  kind: 'ConfigMap';
  data?: Record<string, string>;
}

export interface Node extends KubeObject {
  kind: 'Node';
}

/**
 * The object type of each inventory bucket of the kinds table (kinds.ts), limited to the fields the audit reads.
 */
export interface InventoryObjects {
  namespaces: Namespace;
  pods: Pod;
  networkPolicies: NetworkPolicy;
  daemonSets: DaemonSet;
  /** ReplicaSets and Jobs are read for their ownerReferences only. */
  replicaSets: ReplicaSet;
  jobs: Job;
  /** Only the ConfigMaps engine detection needs (amazon-vpc-cni, cilium-config) keep their data. */
  configMaps: ConfigMap;
  /** Used to recognise Windows and Fargate nodes when present. */
  nodes: Node;
  applicationNetworkPolicies: ApplicationNetworkPolicy;
  awsClusterNetworkPolicies: AwsClusterNetworkPolicy;
  /** Evidence that the VPC CNI's controller programmed a policy (POLICY-APIS.md §1.8). */
  policyEndpoints: PolicyEndpoint;
  clusterPolicyEndpoints: ClusterPolicyEndpoint;
  nodeClasses: NodeClass;
  ciliumNetworkPolicies: CiliumNetworkPolicy;
  ciliumClusterwideNetworkPolicies: CiliumClusterwideNetworkPolicy;
  /** Per-pod evidence of what Cilium enforces (POLICY-APIS.md §3.4). */
  ciliumEndpoints: CiliumEndpoint;
  adminNetworkPolicies: AdminNetworkPolicy;
  baselineAdminNetworkPolicies: BaselineAdminNetworkPolicy;
  upstreamClusterNetworkPolicies: UpstreamClusterNetworkPolicy;
  antreaClusterNetworkPolicies: AntreaClusterNetworkPolicy;
  antreaNetworkPolicies: AntreaNetworkPolicy;
  calicoNetworkPolicies: CalicoPolicy;
  calicoGlobalNetworkPolicies: CalicoPolicy;
  calicoTiers: CalicoTier;
  calicoStagedNetworkPolicies: CalicoPolicy;
  calicoStagedGlobalNetworkPolicies: CalicoPolicy;
  calicoStagedKubernetesNetworkPolicies: CalicoStagedKubernetesNetworkPolicy;
  /** The CRDs the Calico API server stores the v3 objects in: read for the isolation only when v3 was not read. */
  calicoCrdNetworkPolicies: CalicoPolicy;
  calicoCrdGlobalNetworkPolicies: CalicoPolicy;
  calicoCrdTiers: CalicoTier;
  calicoCrdStagedNetworkPolicies: CalicoPolicy;
  calicoCrdStagedGlobalNetworkPolicies: CalicoPolicy;
  calicoCrdStagedKubernetesNetworkPolicies: CalicoStagedKubernetesNetworkPolicy;
}

/**
 * What was read from the Kubernetes API (or from `kubectl get` files), one bucket per row of the kinds table.
 * `undefined`: not read (not captured, forbidden); `[]`: read, none — which includes a CRD the cluster does not serve.
 */
export type KubeInventory = { [Bucket in KindBucket]?: Array<InventoryObjects[Bucket]> };

// Every row of the kinds table has an object type, and every object type a row.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const bucketsMatch: Exact<keyof InventoryObjects, KindBucket> = true;
void bucketsMatch;

/** The subset of `aws eks describe-cluster` output the audit reads (the `cluster` member). */
export interface EksCluster {
  name: string;
  arn?: string;
  status?: string;
  version?: string;
  platformVersion?: string;
  endpoint?: string;
  accessConfig?: { authenticationMode?: string };
  resourcesVpcConfig?: { endpointPublicAccess?: boolean; endpointPrivateAccess?: boolean };
  tags?: Record<string, string>;
  /** EKS Auto Mode: `enabled: true` when EKS manages the nodes (and runs the VPC CNI's node agent on them itself). */
  computeConfig?: { enabled?: boolean; nodePools?: string[] };
}

/** The subset of `aws eks describe-addon` output the audit reads (the `addon` member). */
export interface EksAddon {
  addonName: string;
  clusterName?: string;
  addonVersion?: string;
  status?: string;
  configurationValues?: string;
  addonArn?: string;
}

/** Where the cluster lives, as it appears in every finding. */
export interface ClusterIdentity {
  name: string;
  arn?: string;
  accountId?: string;
  region?: string;
}

/** Kinds a collector may fail to read; used to say which data a check was missing. */
export type InventoryKind = keyof KubeInventory | 'eksCluster' | 'eksAddons' | 'cluster';

/**
 * Something collection could not read. `kind: 'cluster'` means the whole Kubernetes API was out of reach
 * (unreachable, 401, cluster not ACTIVE): every in-cluster check is UNKNOWN with this reason and remediation.
 */
export interface CollectionProblem {
  kind: InventoryKind;
  reason: string;
  remediation?: string;
}

/** An input object left out of the snapshot because it could not be read: the audit of its cluster is incomplete. */
export interface SkippedObject {
  /** Where it was: `cluster.json: items[4]`. */
  place: string;
  /** What it is, as far as it could be told: `NetworkPolicy shop/allow-web`, `no kind no name`. */
  object: string;
  reason: string;
}

export interface ClusterSnapshot {
  cluster: ClusterIdentity;
  /** `undefined` when the EKS API was not read (offline without `--eks-cluster`, or a non-EKS kubeconfig context). */
  eks?: EksCluster;
  /** `undefined` when add-ons were not read; `[]` when the cluster has none. */
  addons?: EksAddon[];
  kube: KubeInventory;
  /**
   * Which CRD-backed kinds of the kinds table the cluster serves, where the source says so: live API discovery says
   * it for every row; offline, the capture's CustomResourceDefinition objects or discovery output (`APIGroupList`,
   * `APIResourceList`, as `eks-netpol-auditor capture` writes them) say it for the rows they cover. `false`: not
   * installed, and its bucket is `[]` (absent, never a reason for UNKNOWN); `true`: installed, so an `undefined`
   * bucket was not captured or not allowed; missing: nobody said (a plain `kubectl get` capture). Built-in kinds are
   * always served and never listed.
   */
  servedKinds?: ServedKinds;
  problems: CollectionProblem[];
  /** Input objects that were skipped as unreadable; their absence makes the `control` verdict UNKNOWN, never PASS. */
  skipped?: SkippedObject[];
}

/** Per inventory bucket of a CRD-backed kind: whether the cluster serves it (see {@link ClusterSnapshot.servedKinds}). */
export type ServedKinds = { [Bucket in KindBucket]?: boolean };
