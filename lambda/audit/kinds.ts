/**
 * The one table of Kubernetes kinds the audit reads. Everything that needs to know a kind — the snapshot's inventory
 * buckets, live collection (discovery, then cluster-wide paginated lists by path), offline loading, object
 * validation, the capture command and the Kubernetes API test server — reads its row here, so a new policy API is
 * one row plus one isolation adapter.
 *
 * Objects are identified by API group and kind, never by kind alone: Calico's `NetworkPolicy` is not the core one,
 * and three APIs define a `ClusterNetworkPolicy`. An object whose (group, kind) has no row is not read as anything.
 */

/** One kind the audit reads. */
export interface KindSpec {
  /** The inventory bucket its objects go to (`KubeInventory[bucket]`). */
  bucket: string;
  kind: string;
  /** The API group; `''` for the core group (`v1`). */
  group: string;
  /** The versions the audit understands, preferred first; live collection lists the first one the server serves. */
  versions: readonly string[];
  /** The resource name in paths and RBAC rules (`networkpolicies`). */
  plural: string;
  namespaced: boolean;
  /** How messages name several of them (`NetworkPolicies`). */
  label: string;
  /**
   * How messages name the kind when its name alone is ambiguous (`ClusterNetworkPolicy.policy.networking.k8s.io`,
   * kubectl's `kind.group`); absent: the kind. The first API of a kind name keeps the plain name.
   */
  title?: string;
  /**
   * Built in to every API server (core, apps, batch, networking.k8s.io): always served. Otherwise a CRD, served only
   * where it is installed; a CRD that is not installed is simply absent (read, none), never a reason for UNKNOWN.
   */
  builtIn: boolean;
  /**
   * A cluster may rightly have none of it, so an untyped `kubectl get a,b -o json` List that holds Pods but none of
   * these is taken as "read, none" offline (with a warning). Only built-in kinds: for a CRD, absence in a capture
   * cannot tell "not installed" from "not captured".
   */
  mayBeEmpty: boolean;
}

/** The rows, in the order collection reads them (Namespaces first: that request also probes the API). */
export const KINDS = [
  { bucket: 'namespaces', kind: 'Namespace', group: '', versions: ['v1'], plural: 'namespaces', namespaced: false, label: 'Namespaces', builtIn: true, mayBeEmpty: false },
  { bucket: 'pods', kind: 'Pod', group: '', versions: ['v1'], plural: 'pods', namespaced: true, label: 'Pods', builtIn: true, mayBeEmpty: false },
  { bucket: 'networkPolicies', kind: 'NetworkPolicy', group: 'networking.k8s.io', versions: ['v1'], plural: 'networkpolicies', namespaced: true, label: 'NetworkPolicies', builtIn: true, mayBeEmpty: true },
  { bucket: 'daemonSets', kind: 'DaemonSet', group: 'apps', versions: ['v1'], plural: 'daemonsets', namespaced: true, label: 'DaemonSets', builtIn: true, mayBeEmpty: false },
  { bucket: 'replicaSets', kind: 'ReplicaSet', group: 'apps', versions: ['v1'], plural: 'replicasets', namespaced: true, label: 'ReplicaSets', builtIn: true, mayBeEmpty: true },
  { bucket: 'jobs', kind: 'Job', group: 'batch', versions: ['v1'], plural: 'jobs', namespaced: true, label: 'Jobs', builtIn: true, mayBeEmpty: true },
  { bucket: 'configMaps', kind: 'ConfigMap', group: '', versions: ['v1'], plural: 'configmaps', namespaced: true, label: 'ConfigMaps', builtIn: true, mayBeEmpty: true },
  { bucket: 'nodes', kind: 'Node', group: '', versions: ['v1'], plural: 'nodes', namespaced: false, label: 'Nodes', builtIn: true, mayBeEmpty: false },
  // AWS: the VPC CNI's network policy controller and agent, and EKS Auto Mode (POLICY-APIS.md §1).
  { bucket: 'applicationNetworkPolicies', kind: 'ApplicationNetworkPolicy', group: 'networking.k8s.aws', versions: ['v1alpha1'], plural: 'applicationnetworkpolicies', namespaced: true, label: 'ApplicationNetworkPolicies', builtIn: false, mayBeEmpty: false },
  { bucket: 'awsClusterNetworkPolicies', kind: 'ClusterNetworkPolicy', group: 'networking.k8s.aws', versions: ['v1alpha1'], plural: 'clusternetworkpolicies', namespaced: false, label: 'ClusterNetworkPolicies (networking.k8s.aws)', builtIn: false, mayBeEmpty: false },
  { bucket: 'policyEndpoints', kind: 'PolicyEndpoint', group: 'networking.k8s.aws', versions: ['v1alpha1'], plural: 'policyendpoints', namespaced: true, label: 'PolicyEndpoints', builtIn: false, mayBeEmpty: false },
  { bucket: 'clusterPolicyEndpoints', kind: 'ClusterPolicyEndpoint', group: 'networking.k8s.aws', versions: ['v1alpha1'], plural: 'clusterpolicyendpoints', namespaced: false, label: 'ClusterPolicyEndpoints', builtIn: false, mayBeEmpty: false },
  { bucket: 'nodeClasses', kind: 'NodeClass', group: 'eks.amazonaws.com', versions: ['v1'], plural: 'nodeclasses', namespaced: false, label: 'NodeClasses', builtIn: false, mayBeEmpty: false },
  // Cilium (POLICY-APIS.md §3): its own policies, and the per-pod endpoints whose status shows what it enforces.
  { bucket: 'ciliumNetworkPolicies', kind: 'CiliumNetworkPolicy', group: 'cilium.io', versions: ['v2'], plural: 'ciliumnetworkpolicies', namespaced: true, label: 'CiliumNetworkPolicies', builtIn: false, mayBeEmpty: false },
  { bucket: 'ciliumClusterwideNetworkPolicies', kind: 'CiliumClusterwideNetworkPolicy', group: 'cilium.io', versions: ['v2'], plural: 'ciliumclusterwidenetworkpolicies', namespaced: false, label: 'CiliumClusterwideNetworkPolicies', builtIn: false, mayBeEmpty: false },
  { bucket: 'ciliumEndpoints', kind: 'CiliumEndpoint', group: 'cilium.io', versions: ['v2'], plural: 'ciliumendpoints', namespaced: true, label: 'CiliumEndpoints', builtIn: false, mayBeEmpty: false },
  // Kubernetes SIG Network's admin policies (POLICY-APIS.md §2): v1alpha1 AdminNetworkPolicy and its Baseline
  // singleton, and their v1alpha2 replacement, a third ClusterNetworkPolicy.
  { bucket: 'adminNetworkPolicies', kind: 'AdminNetworkPolicy', group: 'policy.networking.k8s.io', versions: ['v1alpha1'], plural: 'adminnetworkpolicies', namespaced: false, label: 'AdminNetworkPolicies', builtIn: false, mayBeEmpty: false },
  { bucket: 'baselineAdminNetworkPolicies', kind: 'BaselineAdminNetworkPolicy', group: 'policy.networking.k8s.io', versions: ['v1alpha1'], plural: 'baselineadminnetworkpolicies', namespaced: false, label: 'BaselineAdminNetworkPolicies', builtIn: false, mayBeEmpty: false },
  { bucket: 'upstreamClusterNetworkPolicies', kind: 'ClusterNetworkPolicy', group: 'policy.networking.k8s.io', versions: ['v1alpha2'], plural: 'clusternetworkpolicies', namespaced: false, label: 'ClusterNetworkPolicies (policy.networking.k8s.io)', title: 'ClusterNetworkPolicy.policy.networking.k8s.io', builtIn: false, mayBeEmpty: false },
  // Antrea's own policies (POLICY-APIS.md §5): v1beta1 since Antrea 1.5, v1alpha1 before.
  { bucket: 'antreaClusterNetworkPolicies', kind: 'ClusterNetworkPolicy', group: 'crd.antrea.io', versions: ['v1beta1', 'v1alpha1'], plural: 'clusternetworkpolicies', namespaced: false, label: 'ClusterNetworkPolicies (crd.antrea.io)', title: 'ClusterNetworkPolicy.crd.antrea.io', builtIn: false, mayBeEmpty: false },
  { bucket: 'antreaNetworkPolicies', kind: 'NetworkPolicy', group: 'crd.antrea.io', versions: ['v1beta1', 'v1alpha1'], plural: 'networkpolicies', namespaced: true, label: 'NetworkPolicies (crd.antrea.io)', title: 'NetworkPolicy.crd.antrea.io', builtIn: false, mayBeEmpty: false },
  // Calico (POLICY-APIS.md §4): projectcalico.org/v3 through the Calico API server (or its native v3 CRDs), then the
  // crd.projectcalico.org/v1 CRDs it stores them in; the isolation model reads the CRD copies only when v3 was not read.
  { bucket: 'calicoNetworkPolicies', kind: 'NetworkPolicy', group: 'projectcalico.org', versions: ['v3'], plural: 'networkpolicies', namespaced: true, label: 'NetworkPolicies (projectcalico.org)', title: 'Calico NetworkPolicy', builtIn: false, mayBeEmpty: false },
  { bucket: 'calicoGlobalNetworkPolicies', kind: 'GlobalNetworkPolicy', group: 'projectcalico.org', versions: ['v3'], plural: 'globalnetworkpolicies', namespaced: false, label: 'GlobalNetworkPolicies (projectcalico.org)', builtIn: false, mayBeEmpty: false },
  { bucket: 'calicoTiers', kind: 'Tier', group: 'projectcalico.org', versions: ['v3'], plural: 'tiers', namespaced: false, label: 'Tiers (projectcalico.org)', builtIn: false, mayBeEmpty: false },
  { bucket: 'calicoStagedNetworkPolicies', kind: 'StagedNetworkPolicy', group: 'projectcalico.org', versions: ['v3'], plural: 'stagednetworkpolicies', namespaced: true, label: 'StagedNetworkPolicies (projectcalico.org)', builtIn: false, mayBeEmpty: false },
  { bucket: 'calicoStagedGlobalNetworkPolicies', kind: 'StagedGlobalNetworkPolicy', group: 'projectcalico.org', versions: ['v3'], plural: 'stagedglobalnetworkpolicies', namespaced: false, label: 'StagedGlobalNetworkPolicies (projectcalico.org)', builtIn: false, mayBeEmpty: false },
  { bucket: 'calicoStagedKubernetesNetworkPolicies', kind: 'StagedKubernetesNetworkPolicy', group: 'projectcalico.org', versions: ['v3'], plural: 'stagedkubernetesnetworkpolicies', namespaced: true, label: 'StagedKubernetesNetworkPolicies (projectcalico.org)', builtIn: false, mayBeEmpty: false },
  { bucket: 'calicoCrdNetworkPolicies', kind: 'NetworkPolicy', group: 'crd.projectcalico.org', versions: ['v1'], plural: 'networkpolicies', namespaced: true, label: 'NetworkPolicies (crd.projectcalico.org)', title: 'Calico NetworkPolicy', builtIn: false, mayBeEmpty: false },
  { bucket: 'calicoCrdGlobalNetworkPolicies', kind: 'GlobalNetworkPolicy', group: 'crd.projectcalico.org', versions: ['v1'], plural: 'globalnetworkpolicies', namespaced: false, label: 'GlobalNetworkPolicies (crd.projectcalico.org)', builtIn: false, mayBeEmpty: false },
  { bucket: 'calicoCrdTiers', kind: 'Tier', group: 'crd.projectcalico.org', versions: ['v1'], plural: 'tiers', namespaced: false, label: 'Tiers (crd.projectcalico.org)', builtIn: false, mayBeEmpty: false },
  { bucket: 'calicoCrdStagedNetworkPolicies', kind: 'StagedNetworkPolicy', group: 'crd.projectcalico.org', versions: ['v1'], plural: 'stagednetworkpolicies', namespaced: true, label: 'StagedNetworkPolicies (crd.projectcalico.org)', builtIn: false, mayBeEmpty: false },
  { bucket: 'calicoCrdStagedGlobalNetworkPolicies', kind: 'StagedGlobalNetworkPolicy', group: 'crd.projectcalico.org', versions: ['v1'], plural: 'stagedglobalnetworkpolicies', namespaced: false, label: 'StagedGlobalNetworkPolicies (crd.projectcalico.org)', builtIn: false, mayBeEmpty: false },
  { bucket: 'calicoCrdStagedKubernetesNetworkPolicies', kind: 'StagedKubernetesNetworkPolicy', group: 'crd.projectcalico.org', versions: ['v1'], plural: 'stagedkubernetesnetworkpolicies', namespaced: true, label: 'StagedKubernetesNetworkPolicies (crd.projectcalico.org)', builtIn: false, mayBeEmpty: false },
] as const satisfies readonly KindSpec[];

/** One row of {@link KINDS}, with its literal bucket name. */
export type KindRow = (typeof KINDS)[number];

/** An inventory bucket name (`pods`, `applicationNetworkPolicies`, …). */
export type KindBucket = KindRow['bucket'];

/** The `apiVersion` objects of a row carry in its preferred version (`v1`, `networking.k8s.io/v1`). */
export function apiVersionOf(spec: KindSpec, version: string = spec.versions[0] ?? 'v1'): string {
  return spec.group === '' ? version : `${spec.group}/${version}`;
}

/** How messages name one object of `spec`'s kind: its {@link KindSpec.title}, else the kind. */
export function kindTitle(spec: KindSpec): string {
  return spec.title ?? spec.kind;
}

/** The API group of an `apiVersion` (`''` for `v1`, `networking.k8s.io` for `networking.k8s.io/v1`). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** `plural.group` as RBAC rules and `kubectl auth can-i` name a resource (`pods`, `networkpolicies.networking.k8s.io`). */
export function resourceName(spec: KindSpec): string {
  return spec.group === '' ? spec.plural : `${spec.plural}.${spec.group}`;
}

/** The path of the cluster-wide list of `spec` at `version`: `/api/v1/pods`, `/apis/networking.k8s.aws/v1alpha1/…`. */
export function listPath(spec: KindSpec, version: string = spec.versions[0] ?? 'v1'): string {
  return spec.group === '' ? `/api/${version}/${spec.plural}` : `/apis/${spec.group}/${version}/${spec.plural}`;
}

const BY_GROUP_KIND = new Map<string, KindRow>(KINDS.map((spec) => [`${spec.group}/${spec.kind}`, spec]));
const BY_BUCKET = new Map<string, KindRow>(KINDS.map((spec) => [spec.bucket, spec]));

/**
 * The row of an object's (group, kind), or `undefined` when the audit does not model that API. Never matches by
 * kind alone: `projectcalico.org/v3` `NetworkPolicy` is Calico's row, never the core NetworkPolicy's.
 */
export function kindOf(apiVersion: string | undefined, kind: string): KindRow | undefined {
  if (apiVersion === undefined) return undefined;
  const spec = BY_GROUP_KIND.get(`${groupOf(apiVersion)}/${kind}`);
  return spec !== undefined && (spec.versions as readonly string[]).includes(versionOf(apiVersion)) ? spec : undefined;
}

/** The row of a bucket. */
export function kindOfBucket(bucket: KindBucket): KindRow {
  const spec = BY_BUCKET.get(bucket);
  if (!spec) throw new Error(`no kind has the bucket ${bucket}`);
  return spec;
}

/** The version part of an `apiVersion` (`v1` for `v1` and for `networking.k8s.io/v1`). */
export function versionOf(apiVersion: string): string {
  return apiVersion.slice(apiVersion.indexOf('/') + 1);
}

const MODELED_KIND_NAMES: ReadonlySet<string> = new Set(KINDS.map((spec) => spec.kind));

/**
 * True for an object the audit does not model but that may filter pod traffic: a kind named like a network policy
 * (`MultiNetworkPolicy`) or one that shares a modeled kind's name in another API group or version (a
 * `projectcalico.org/v2` `NetworkPolicy`). Loading names each such
 * (group, kind) in a warning, so a policy the audit cannot see is never silently missing; other kinds (Deployments,
 * Services) are simply not part of the audit.
 */
export function mayFilterTraffic(apiVersion: string | undefined, kind: string): boolean {
  return kindOf(apiVersion, kind) === undefined && (kind.endsWith('NetworkPolicy') || MODELED_KIND_NAMES.has(kind));
}
