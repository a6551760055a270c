/**
 * Synthetic EKS clusters for the benchmarks: what `kubectl get namespaces,pods,networkpolicies,daemonsets,replicasets,
 * jobs,nodes,configmaps -A -o json` prints for a cluster of a given size, with objects shaped like the real ones
 * (labels, ownerReferences to ReplicaSets, containers, projected volumes, status) so that parsing, loading and
 * evaluation cost what they cost on a real capture. Deterministic: the same shape always gives the same bytes.
 *
 * The cluster runs the VPC CNI with native network policy on (aws-node with the node agent, the amazon-vpc-cni
 * ConfigMap). Every team namespace has the same number of running pods, Deployments and policies; one in ten replaces
 * its default-deny with a policy admitting all traffic to its frontends, so the findings hold failures as well as
 * passes.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/** How big a synthetic cluster is. */
export interface ClusterShape {
  /** Team namespaces (the system ones come on top). */
  namespaces: number;
  /** Running pods per team namespace. */
  podsPerNamespace: number;
  /** Deployments per team namespace; their replicas add up to `podsPerNamespace`. */
  deploymentsPerNamespace: number;
  /** NetworkPolicies per team namespace (at most {@link POLICY_KINDS}). */
  policiesPerNamespace: number;
  /** Pods a node runs: sets the node count, hence the aws-node and kube-proxy pods. */
  podsPerNode: number;
  /** ApplicationNetworkPolicies per team namespace (0 or 1). */
  applicationPoliciesPerNamespace: number;
  /** AWS ClusterNetworkPolicies, each on the namespaces of one of {@link NAMESPACE_GROUPS} groups. */
  clusterPolicies: number;
}

/** How many of each kind a shape produces, for checking a load and for the benchmark's table. */
export interface ClusterCounts {
  namespaces: number;
  teamNamespaces: number;
  /** Every pod in the file (team pods, system pods, one finished Job pod per team namespace). */
  pods: number;
  /** Pods that are not finished. */
  runningPods: number;
  /** Running pods of the team namespaces: the size the benchmark is named after. */
  teamPods: number;
  networkPolicies: number;
  applicationNetworkPolicies: number;
  clusterNetworkPolicies: number;
  nodes: number;
  replicaSets: number;
  daemonSets: number;
  jobs: number;
  configMaps: number;
}

/** Five policies, in the order a namespace gets them (see {@link namespacePolicies}). */
export const POLICY_KINDS = 5;

/**
 * Team namespaces are labelled with one of this many groups (`bench.example.com/group: gN`, by index); each
 * ClusterNetworkPolicy applies to one group, so cluster policies cost what they cost on a real cluster: matched against
 * every namespace's labels, then against the pods of the namespaces they apply to.
 */
export const NAMESPACE_GROUPS = 100;
/** The ClusterNetworkPolicies of every shape: admin policies come with the platform, not with the pods. */
const CLUSTER_POLICIES = 100;

const PODS_PER_NAMESPACE = 100;
const TIERS = ['frontend', 'backend', 'data', 'batch', 'worker'] as const;
const SYSTEM_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'] as const;
const SYSTEM_DAEMON_SETS = ['aws-node', 'kube-proxy'] as const;
const COREDNS_REPLICAS = 2;
const REGION = 'eu-west-1';
const CREATED = '2026-03-02T09:14:07Z';
const STARTED = '2026-09-14T15:40:27Z';
// Kubernetes' random name suffixes use this alphabet (no vowels, no look-alike characters).
const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
// Every namespace holds this ConfigMap, published by the API server; its certificate makes it about 1.5 KB.
const ROOT_CA = `-----BEGIN CERTIFICATE-----\n${'MIIDBTCCAe2gAwIBAgIIQ2x1c3RlckNBMA0GCSqGSIb3DQEBCwUAMBUxEzARBgNV\n'.repeat(17)}-----END CERTIFICATE-----\n`;

/**
 * The shape of a cluster of `teamPods` running pods at 100 pods per namespace (so 100k pods are 1,000 namespaces),
 * with 10 Deployments and 5 policies per namespace and 50 pods per node.
 */
export function shapeForPods(teamPods: number): ClusterShape {
  const namespaces = Math.max(1, Math.round(teamPods / PODS_PER_NAMESPACE));
  return {
    namespaces,
    podsPerNamespace: Math.round(teamPods / namespaces),
    deploymentsPerNamespace: 10,
    policiesPerNamespace: POLICY_KINDS,
    podsPerNode: 50,
    applicationPoliciesPerNamespace: 1,
    clusterPolicies: CLUSTER_POLICIES,
  };
}

/** The number of objects of each kind that {@link writeClusterList} writes for `shape`. */
export function clusterCounts(shape: ClusterShape): ClusterCounts {
  const teamPods = shape.namespaces * shape.podsPerNamespace;
  const nodes = nodeCount(shape);
  const systemPods = nodes * SYSTEM_DAEMON_SETS.length + COREDNS_REPLICAS;
  return {
    namespaces: shape.namespaces + SYSTEM_NAMESPACES.length,
    teamNamespaces: shape.namespaces,
    pods: teamPods + systemPods + shape.namespaces,
    runningPods: teamPods + systemPods,
    teamPods,
    networkPolicies: shape.namespaces * Math.min(shape.policiesPerNamespace, POLICY_KINDS),
    applicationNetworkPolicies: shape.namespaces * Math.min(shape.applicationPoliciesPerNamespace, 1),
    clusterNetworkPolicies: shape.clusterPolicies,
    nodes,
    // Each Deployment has its current ReplicaSet and the previous one, scaled to 0 (revisionHistoryLimit keeps it).
    replicaSets: (shape.namespaces * shape.deploymentsPerNamespace + 1) * 2,
    daemonSets: SYSTEM_DAEMON_SETS.length,
    jobs: shape.namespaces,
    configMaps: shape.namespaces + SYSTEM_NAMESPACES.length + 3,
  };
}

/** What {@link writeClusterList} wrote. */
export interface WrittenCluster {
  counts: ClusterCounts;
  /** Size of the file. */
  bytes: number;
}

/**
 * Writes the cluster of `shape` to `file` as one compact `List` — what `kubectl get … -o json | jq -c .` prints —
 * streaming object by object so that generating 100k pods never holds the whole file in memory. Compact, because
 * kubectl's own 4-space indentation makes a 100k-pod capture about 1 GB, beyond the longest string V8 can hold
 * (0x1fffffe8 characters), so no JavaScript loader could read it whole (docs/benchmarks.md has the figures).
 */
export async function writeClusterList(file: string, shape: ClusterShape, format: CaptureFormat = CaptureFormat.Compact): Promise<WrittenCluster> {
  const out = createWriteStream(file);
  let bytes = 0;
  const write = async (text: string): Promise<void> => {
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  };
  const kubectl = format === CaptureFormat.Kubectl;
  await write(kubectl ? '{\n    "apiVersion": "v1",\n    "items": [\n' : '{"apiVersion":"v1","items":[');
  let first = true;
  for (const object of clusterObjects(shape)) {
    const text = kubectl ? indented(withManagedFields(object), '        ') : JSON.stringify(object);
    await write(`${first ? '' : kubectl ? ',\n' : ','}${text}`);
    first = false;
  }
  await write(kubectl ? '\n    ],\n    "kind": "List",\n    "metadata": {\n        "resourceVersion": ""\n    }\n}\n' : '],"kind":"List","metadata":{"resourceVersion":""}}\n');
  out.end();
  await once(out, 'finish');
  return { counts: clusterCounts(shape), bytes };
}

/** How a capture is written: compact (`| jq -c .`), or as kubectl prints it (4-space indentation, managedFields). */
export const CaptureFormat = { Compact: 'compact', Kubectl: 'kubectl' } as const;
export type CaptureFormat = (typeof CaptureFormat)[keyof typeof CaptureFormat];

/** `object` as kubectl's 4-space JSON, every line after the first starting with `prefix`. */
function indented(object: unknown, prefix: string): string {
  return prefix + JSON.stringify(object, null, 4).replaceAll('\n', `\n${prefix}`);
}

/** `object` (or each item of a list) with the server-side apply bookkeeping the API server keeps on every object, as kubectl prints it. */
function withManagedFields(object: Record<string, unknown>): Record<string, unknown> {
  // A list inside the capture (the CRDs, as `kubectl get crd -o json` prints them): its items carry the bookkeeping.
  if (Array.isArray(object.items)) return { ...object, items: (object.items as Array<Record<string, unknown>>).map(withManagedFields) };
  const metadata = object.metadata as Record<string, unknown>;
  const fields = (value: unknown): unknown =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).map(([key, inner]) => [`f:${key}`, fields(inner)]))
      : {};
  const managedFields = [
    { apiVersion: object.apiVersion, fieldsType: 'FieldsV1', fieldsV1: fields({ metadata: { labels: metadata.labels, ownerReferences: {} }, spec: object.spec }), manager: 'kube-controller-manager', operation: 'Update', time: CREATED },
    { apiVersion: object.apiVersion, fieldsType: 'FieldsV1', fieldsV1: fields({ status: object.status }), manager: 'kubelet', operation: 'Update', subresource: 'status', time: STARTED },
  ];
  return { ...object, metadata: { ...metadata, managedFields } };
}

/** Every object of the cluster, in the order kubectl prints them: kind by kind as asked, then by namespace. */
export function* clusterObjects(shape: ClusterShape): Generator<Record<string, unknown>> {
  const names = new NameSource();
  const teams = Array.from({ length: shape.namespaces }, (_, index) => teamNamespace(index));
  const nodes = Array.from({ length: nodeCount(shape) }, (_, index) => nodeName(index));
  const deployments = teams.flatMap((namespace, index) => teamDeployments(shape, namespace, index, names));
  const coredns: Deployment = { namespace: 'kube-system', name: 'coredns', tier: 'dns', replicas: COREDNS_REPLICAS, ...rsIds(names) };

  for (const namespace of [...SYSTEM_NAMESPACES, ...teams].sort()) yield namespaceObject(namespace, names);

  let podIndex = 0;
  const nextNode = () => nodes[podIndex++ % nodes.length] as string;
  for (const daemonSet of SYSTEM_DAEMON_SETS) {
    for (const node of nodes) yield daemonSetPod(daemonSet, node, names);
  }
  for (let replica = 0; replica < coredns.replicas; replica += 1) yield deploymentPod(coredns, nextNode(), names);
  for (const deployment of deployments) {
    for (let replica = 0; replica < deployment.replicas; replica += 1) yield deploymentPod(deployment, nextNode(), names);
  }
  for (const namespace of teams) yield finishedJobPod(namespace, nextNode(), names);

  for (const [index, namespace] of teams.entries()) {
    for (const policy of namespacePolicies(namespace, index).slice(0, shape.policiesPerNamespace)) yield policy;
  }
  for (const [index, namespace] of teams.entries()) {
    if (shape.applicationPoliciesPerNamespace > 0) yield applicationPolicy(namespace, index);
  }
  for (let index = 0; index < shape.clusterPolicies; index += 1) yield clusterPolicy(index);
  for (const daemonSet of SYSTEM_DAEMON_SETS) yield daemonSetObject(daemonSet, nodes.length);
  for (const deployment of [coredns, ...deployments]) yield* replicaSets(deployment, names);
  for (const namespace of teams) yield jobObject(namespace, names);
  for (const [index, node] of nodes.entries()) yield nodeObject(node, index, names);
  yield* configMaps([...SYSTEM_NAMESPACES, ...teams].sort(), names);
  // The cluster's CRDs as a typed list (`kubectl get --raw /apis/apiextensions.k8s.io/v1/customresourcedefinitions`):
  // the AWS policy APIs are installed (and captured above); the other CRD-backed kinds are not.
  yield { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinitionList', items: AWS_POLICY_CRDS.map(policyCrd) };
}

const AWS_GROUP = 'networking.k8s.aws';
const AWS_POLICY_CRDS = [
  { kind: 'ApplicationNetworkPolicy', plural: 'applicationnetworkpolicies', scope: 'Namespaced' },
  { kind: 'ClusterNetworkPolicy', plural: 'clusternetworkpolicies', scope: 'Cluster' },
] as const;

function policyCrd({ kind, plural, scope }: (typeof AWS_POLICY_CRDS)[number]): Record<string, unknown> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { creationTimestamp: CREATED, name: `${plural}.${AWS_GROUP}`, uid: fixedUid(0, plural) },
    spec: { group: AWS_GROUP, names: { kind, listKind: `${kind}List`, plural, singular: kind.toLowerCase() }, scope, versions: [{ name: 'v1alpha1', served: true, storage: true }] },
  };
}

/** The group label value of a team namespace (`team-0042` → `g42`). */
function groupOf(namespace: string): string {
  return `g${Number(namespace.slice('team-'.length)) % NAMESPACE_GROUPS}`;
}

/** The ApplicationNetworkPolicy of a team namespace: its backends may reach only its data tier, and AWS APIs by name. */
function applicationPolicy(namespace: string, index: number): Record<string, unknown> {
  return {
    apiVersion: `${AWS_GROUP}/v1alpha1`,
    kind: 'ApplicationNetworkPolicy',
    metadata: { creationTimestamp: CREATED, generation: 1, name: 'backend-egress', namespace, resourceVersion: String(8_000_000 + index), uid: fixedUid(index, 'backend-egress') },
    spec: {
      podSelector: { matchLabels: { tier: 'backend' } },
      policyTypes: ['Egress'],
      egress: [
        { to: [{ podSelector: { matchLabels: { tier: 'data' } } }], ports: [{ protocol: 'TCP', port: 5432 }] },
        { to: [{ domainNames: ['*.amazonaws.com'] }], ports: [{ protocol: 'TCP', port: 443 }] },
      ],
    },
  };
}

/**
 * The `index`-th ClusterNetworkPolicy, on the namespaces of group `g<index>`: even ones a Baseline deny of all ingress
 * from every namespace (a default deny), odd ones an Admin accept of monitoring scrapes on one port.
 */
function clusterPolicy(index: number): Record<string, unknown> {
  const baseline = index % 2 === 0;
  const name = baseline ? `baseline-deny-g${index}` : `admin-allow-monitoring-g${index}`;
  const rule = baseline
    ? { name: 'deny-all-ingress', action: 'Deny', from: [{ namespaces: {} }] }
    : { name: 'allow-scrapes', action: 'Accept', from: [{ namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ portNumber: { protocol: 'TCP', port: 9090 } }] };
  return {
    apiVersion: `${AWS_GROUP}/v1alpha1`,
    kind: 'ClusterNetworkPolicy',
    metadata: { creationTimestamp: CREATED, generation: 1, name, resourceVersion: String(9_000_000 + index), uid: fixedUid(index, name) },
    spec: {
      tier: baseline ? 'Baseline' : 'Admin',
      priority: 100 + index,
      subject: { namespaces: { matchLabels: { 'bench.example.com/group': `g${index % NAMESPACE_GROUPS}` } } },
      ingress: [rule],
    },
  };
}

/** The policies of team namespace `namespace` (the `index`-th): selectors with matchLabels and every operator. */
export function namespacePolicies(namespace: string, index: number): Array<Record<string, unknown>> {
  const policy = (name: string, spec: Record<string, unknown>) => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { creationTimestamp: CREATED, generation: 1, name, namespace, resourceVersion: String(7_000_000 + index), uid: fixedUid(index, name) },
    spec,
  });
  const fromNamespace = (name: string) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } });
  // One namespace in ten admits all traffic to its frontends instead of denying by default: permissive-policy and
  // default-deny FAIL there, and its batch Deployments (selected by no other policy for Ingress) are uncovered.
  const baseline =
    index % 10 === 0
      ? policy('allow-all-to-frontend', { podSelector: { matchLabels: { tier: 'frontend' } }, ingress: [{}], policyTypes: ['Ingress'] })
      : policy('default-deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] });
  return [
    baseline,
    policy('allow-frontend-from-ingress', {
      podSelector: { matchLabels: { tier: 'frontend' } },
      ingress: [{ from: [fromNamespace('ingress-nginx')], ports: [{ port: 8080, protocol: 'TCP' }] }],
      policyTypes: ['Ingress'],
    }),
    policy('allow-backend-from-frontend', {
      podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['backend', 'data'] }] },
      ingress: [{ from: [{ podSelector: { matchLabels: { tier: 'frontend' } } }], ports: [{ port: 8443, protocol: 'TCP' }] }],
      policyTypes: ['Ingress'],
    }),
    policy('allow-dns-egress', {
      podSelector: {
        matchExpressions: [
          { key: 'app.kubernetes.io/name', operator: 'Exists' },
          { key: 'sandbox', operator: 'DoesNotExist' },
        ],
      },
      egress: [{ to: [fromNamespace('kube-system')], ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] }],
      policyTypes: ['Egress'],
    }),
    policy('allow-metrics-scrape', {
      podSelector: { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['batch'] }] },
      ingress: [{ from: [fromNamespace('monitoring')], ports: [{ port: 9090, protocol: 'TCP' }] }],
      policyTypes: ['Ingress'],
    }),
  ];
}

interface Deployment {
  namespace: string;
  name: string;
  tier: string;
  replicas: number;
  /** The pod-template hash of the current ReplicaSet, and of the previous one. */
  hash: string;
  previousHash: string;
  uid: string;
}

function teamNamespace(index: number): string {
  return `team-${String(index + 1).padStart(4, '0')}`;
}

function nodeName(index: number): string {
  return `ip-10-${(index >> 16) & 255}-${(index >> 8) & 255}-${index & 255}.${REGION}.compute.internal`;
}

function nodeCount(shape: ClusterShape): number {
  return Math.max(1, Math.ceil((shape.namespaces * shape.podsPerNamespace) / shape.podsPerNode));
}

function rsIds(names: NameSource): Pick<Deployment, 'hash' | 'previousHash' | 'uid'> {
  return { hash: names.suffix(10), previousHash: names.suffix(10), uid: names.uid() };
}

function teamDeployments(shape: ClusterShape, namespace: string, index: number, names: NameSource): Deployment[] {
  const count = shape.deploymentsPerNamespace;
  return Array.from({ length: count }, (_, deployment) => ({
    namespace,
    name: `svc-${String(deployment + 1).padStart(2, '0')}`,
    tier: TIERS[(deployment + index) % TIERS.length] as string,
    // The replicas add up to podsPerNamespace: the first Deployments take the remainder.
    replicas: Math.floor(shape.podsPerNamespace / count) + (deployment < shape.podsPerNamespace % count ? 1 : 0),
    ...rsIds(names),
  }));
}

function namespaceObject(name: string, names: NameSource): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      creationTimestamp: CREATED,
      labels: {
        'kubernetes.io/metadata.name': name,
        ...(name.startsWith('team-') ? { 'team.example.com/owner': name, 'bench.example.com/group': groupOf(name) } : {}),
      },
      name,
      resourceVersion: '1024',
      uid: names.uid(),
    },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

function ownerReference(kind: string, name: string, uid: string): Record<string, unknown> {
  return { apiVersion: kind === 'Job' ? 'batch/v1' : 'apps/v1', blockOwnerDeletion: true, controller: true, kind, name, uid };
}

function container(name: string, image: string, extra: Record<string, unknown>, volume: string): Record<string, unknown> {
  return {
    image,
    imagePullPolicy: 'IfNotPresent',
    name,
    resources: { limits: { memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    volumeMounts: [{ mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', name: volume, readOnly: true }],
    ...extra,
  };
}

/** The projected service-account volume every pod gets from the API server. */
function serviceAccountVolume(name: string): Record<string, unknown> {
  return {
    name,
    projected: {
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { items: [{ key: 'ca.crt', path: 'ca.crt' }], name: 'kube-root-ca.crt' } },
        { downwardAPI: { items: [{ fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' }, path: 'namespace' }] } },
      ],
    },
  };
}

interface PodParts {
  namespace: string;
  name: string;
  generateName: string;
  labels: Record<string, string>;
  owner: Record<string, unknown>;
  node: string;
  containers: Array<Record<string, unknown>>;
  hostNetwork?: boolean;
  phase?: 'Running' | 'Succeeded';
}

function podObject(parts: PodParts, names: NameSource): Record<string, unknown> {
  const running = (parts.phase ?? 'Running') === 'Running';
  const podIp = parts.hostNetwork ? nodeIp(parts.node) : `10.${names.int(256)}.${names.int(256)}.${names.int(256)}`;
  const condition = (type: string) => ({ lastProbeTime: null, lastTransitionTime: STARTED, status: running || type === 'PodScheduled' ? 'True' : 'False', type });
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      creationTimestamp: STARTED,
      generateName: parts.generateName,
      labels: parts.labels,
      name: parts.name,
      namespace: parts.namespace,
      ownerReferences: [parts.owner],
      resourceVersion: String(names.int(90_000_000) + 1_000_000),
      uid: names.uid(),
    },
    spec: {
      containers: parts.containers,
      dnsPolicy: parts.hostNetwork ? 'ClusterFirstWithHostNet' : 'ClusterFirst',
      enableServiceLinks: true,
      ...(parts.hostNetwork ? { hostNetwork: true } : {}),
      nodeName: parts.node,
      preemptionPolicy: 'PreemptLowerPriority',
      priority: 0,
      restartPolicy: running ? 'Always' : 'OnFailure',
      schedulerName: 'default-scheduler',
      securityContext: {},
      serviceAccount: 'default',
      serviceAccountName: 'default',
      terminationGracePeriodSeconds: 30,
      tolerations: [
        { effect: 'NoExecute', key: 'node.kubernetes.io/not-ready', operator: 'Exists', tolerationSeconds: 300 },
        { effect: 'NoExecute', key: 'node.kubernetes.io/unreachable', operator: 'Exists', tolerationSeconds: 300 },
      ],
      volumes: [serviceAccountVolume((parts.containers[0]?.volumeMounts as Array<{ name: string }>)[0]?.name ?? 'kube-api-access')],
    },
    status: {
      conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map(condition),
      containerStatuses: parts.containers.map((spec) => ({
        containerID: `containerd://${names.hex(64)}`,
        image: spec.image,
        imageID: `${String(spec.image).split(':')[0]}@sha256:${names.hex(64)}`,
        lastState: {},
        name: spec.name,
        ready: running,
        restartCount: 0,
        started: running,
        state: running
          ? { running: { startedAt: STARTED } }
          : { terminated: { containerID: `containerd://${names.hex(64)}`, exitCode: 0, finishedAt: STARTED, reason: 'Completed', startedAt: STARTED } },
      })),
      hostIP: nodeIp(parts.node),
      hostIPs: [{ ip: nodeIp(parts.node) }],
      phase: parts.phase ?? 'Running',
      podIP: podIp,
      podIPs: [{ ip: podIp }],
      qosClass: 'Burstable',
      startTime: STARTED,
    },
  };
}

function nodeIp(node: string): string {
  return node.split('.')[0]?.slice(3).replaceAll('-', '.') ?? '10.0.0.1';
}

function deploymentPod(deployment: Deployment, node: string, names: NameSource): Record<string, unknown> {
  const rs = `${deployment.name}-${deployment.hash}`;
  const volume = `kube-api-access-${names.suffix(5)}`;
  const image = `111122223333.dkr.ecr.${REGION}.amazonaws.com/${deployment.namespace}/${deployment.name}:v3.14.2`;
  return podObject(
    {
      namespace: deployment.namespace,
      name: names.uniqueName(`${rs}-`),
      generateName: `${rs}-`,
      labels: {
        'app.kubernetes.io/name': deployment.name,
        'app.kubernetes.io/part-of': deployment.namespace,
        'app.kubernetes.io/version': 'v3.14.2',
        'pod-template-hash': deployment.hash,
        tier: deployment.tier,
      },
      owner: ownerReference('ReplicaSet', rs, deployment.uid),
      node,
      containers: [
        container(
          'app',
          image,
          {
            env: [
              { name: 'LOG_LEVEL', value: 'info' },
              { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
            ],
            ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' }],
            readinessProbe: {
              failureThreshold: 3,
              httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP' },
              periodSeconds: 10,
              successThreshold: 1,
              timeoutSeconds: 1,
            },
          },
          volume,
        ),
      ],
    },
    names,
  );
}

const DAEMON_SET_CONTAINERS: Record<(typeof SYSTEM_DAEMON_SETS)[number], Array<{ name: string; image: string; extra: Record<string, unknown> }>> = {
  'aws-node': [
    {
      name: 'aws-node',
      image: `602401143452.dkr.ecr.${REGION}.amazonaws.com/amazon-k8s-cni:v1.21.1-eksbuild.1`,
      extra: {
        env: [
          { name: 'AWS_VPC_K8S_CNI_LOGLEVEL', value: 'DEBUG' },
          { name: 'NETWORK_POLICY_ENFORCING_MODE', value: 'standard' },
          { name: 'VPC_CNI_VERSION', value: 'v1.21.1' },
          { name: 'MY_NODE_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } },
        ],
      },
    },
    {
      name: 'aws-eks-nodeagent',
      image: `602401143452.dkr.ecr.${REGION}.amazonaws.com/amazon/aws-network-policy-agent:v1.3.1-eksbuild.1`,
      extra: {
        args: ['--enable-ipv6=false', '--enable-network-policy=true', '--enable-cloudwatch-logs=false', '--metrics-bind-addr=:8162'],
      },
    },
  ],
  'kube-proxy': [
    {
      name: 'kube-proxy',
      image: `602401143452.dkr.ecr.${REGION}.amazonaws.com/eks/kube-proxy:v1.31.3-minimal-eksbuild.2`,
      extra: { command: ['kube-proxy', '--v=2', '--config=/var/lib/kube-proxy-config/config'] },
    },
  ],
};

function daemonSetContainers(daemonSet: (typeof SYSTEM_DAEMON_SETS)[number], volume: string): Array<Record<string, unknown>> {
  return DAEMON_SET_CONTAINERS[daemonSet].map(({ name, image, extra }) => container(name, image, extra, volume));
}

function daemonSetPod(daemonSet: (typeof SYSTEM_DAEMON_SETS)[number], node: string, names: NameSource): Record<string, unknown> {
  return podObject(
    {
      namespace: 'kube-system',
      name: names.uniqueName(`${daemonSet}-`),
      generateName: `${daemonSet}-`,
      labels: { 'controller-revision-hash': 'q2bmqhr7sl', 'k8s-app': daemonSet, 'pod-template-generation': '1' },
      owner: ownerReference('DaemonSet', daemonSet, fixedUid(0, daemonSet)),
      node,
      containers: daemonSetContainers(daemonSet, `kube-api-access-${names.suffix(5)}`),
      hostNetwork: true,
    },
    names,
  );
}

function finishedJobPod(namespace: string, node: string, names: NameSource): Record<string, unknown> {
  const job = `nightly-report-${jobSuffix(namespace)}`;
  return podObject(
    {
      namespace,
      name: names.uniqueName(`${job}-`),
      generateName: `${job}-`,
      labels: { 'batch.kubernetes.io/job-name': job, 'app.kubernetes.io/name': 'nightly-report', tier: 'batch' },
      owner: ownerReference('Job', job, fixedUid(1, job)),
      node,
      containers: [container('report', `111122223333.dkr.ecr.${REGION}.amazonaws.com/${namespace}/report:v1.0.0`, {}, `kube-api-access-${names.suffix(5)}`)],
      phase: 'Succeeded',
    },
    names,
  );
}

function jobSuffix(namespace: string): string {
  return String(29_000_000 + Number(namespace.slice('team-'.length)));
}

function daemonSetObject(daemonSet: (typeof SYSTEM_DAEMON_SETS)[number], nodes: number): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: {
      annotations: { 'deprecated.daemonset.template.generation': '1' },
      creationTimestamp: CREATED,
      generation: 1,
      labels: { 'k8s-app': daemonSet },
      name: daemonSet,
      namespace: 'kube-system',
      resourceVersion: '4562105',
      uid: fixedUid(0, daemonSet),
    },
    spec: {
      revisionHistoryLimit: 10,
      selector: { matchLabels: { 'k8s-app': daemonSet } },
      template: {
        metadata: { labels: { 'k8s-app': daemonSet } },
        spec: {
          containers: daemonSetContainers(daemonSet, 'kube-api-access'),
          hostNetwork: true,
          priorityClassName: 'system-node-critical',
          serviceAccountName: daemonSet,
        },
      },
      updateStrategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: '10%' }, type: 'RollingUpdate' },
    },
    status: {
      currentNumberScheduled: nodes,
      desiredNumberScheduled: nodes,
      numberAvailable: nodes,
      numberMisscheduled: 0,
      numberReady: nodes,
      observedGeneration: 1,
      updatedNumberScheduled: nodes,
    },
  };
}

function* replicaSets(deployment: Deployment, names: NameSource): Generator<Record<string, unknown>> {
  const owner = ownerReference('Deployment', deployment.name, fixedUid(2, `${deployment.namespace}/${deployment.name}`));
  for (const [hash, replicas, revision] of [
    [deployment.previousHash, 0, '1'],
    [deployment.hash, deployment.replicas, '2'],
  ] as const) {
    const labels = { 'app.kubernetes.io/name': deployment.name, 'pod-template-hash': hash, tier: deployment.tier };
    yield {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        annotations: { 'deployment.kubernetes.io/desired-replicas': String(deployment.replicas), 'deployment.kubernetes.io/revision': revision },
        creationTimestamp: CREATED,
        generation: Number(revision),
        labels,
        name: `${deployment.name}-${hash}`,
        namespace: deployment.namespace,
        ownerReferences: [owner],
        resourceVersion: String(names.int(90_000_000) + 1_000_000),
        uid: hash === deployment.hash ? deployment.uid : names.uid(),
      },
      spec: { replicas, selector: { matchLabels: { 'app.kubernetes.io/name': deployment.name, 'pod-template-hash': hash } } },
      status: replicas === 0 ? { observedGeneration: 1, replicas: 0 } : { availableReplicas: replicas, fullyLabeledReplicas: replicas, observedGeneration: 2, readyReplicas: replicas, replicas },
    };
  }
}

function jobObject(namespace: string, names: NameSource): Record<string, unknown> {
  const job = `nightly-report-${jobSuffix(namespace)}`;
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      creationTimestamp: STARTED,
      generation: 1,
      labels: { 'batch.kubernetes.io/job-name': job },
      name: job,
      namespace,
      ownerReferences: [{ ...ownerReference('CronJob', 'nightly-report', names.uid()), apiVersion: 'batch/v1' }],
      resourceVersion: String(names.int(90_000_000) + 1_000_000),
      uid: fixedUid(1, job),
    },
    spec: { backoffLimit: 6, completions: 1, parallelism: 1 },
    status: { completionTime: STARTED, ready: 0, startTime: STARTED, succeeded: 1 },
  };
}

function nodeObject(name: string, index: number, names: NameSource): Record<string, unknown> {
  const zone = `${REGION}${'abc'[index % 3]}`;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      annotations: { 'alpha.kubernetes.io/provided-node-ip': nodeIp(name), 'node.alpha.kubernetes.io/ttl': '0' },
      creationTimestamp: CREATED,
      labels: {
        'beta.kubernetes.io/arch': 'arm64',
        'beta.kubernetes.io/os': 'linux',
        'eks.amazonaws.com/nodegroup': `workers-${zone}`,
        'kubernetes.io/arch': 'arm64',
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'node.kubernetes.io/instance-type': 'm7g.2xlarge',
        'topology.kubernetes.io/region': REGION,
        'topology.kubernetes.io/zone': zone,
      },
      name,
      resourceVersion: String(names.int(90_000_000) + 1_000_000),
      uid: names.uid(),
    },
    spec: { providerID: `aws:///${zone}/i-${names.hex(17)}` },
    status: {
      addresses: [
        { address: nodeIp(name), type: 'InternalIP' },
        { address: name, type: 'InternalDNS' },
        { address: name, type: 'Hostname' },
      ],
      allocatable: { cpu: '7910m', 'ephemeral-storage': '95551679124', memory: '31482688Ki', pods: '58' },
      capacity: { cpu: '8', 'ephemeral-storage': '104845292Ki', memory: '32499520Ki', pods: '58' },
      conditions: ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready'].map((type) => ({
        lastHeartbeatTime: STARTED,
        lastTransitionTime: CREATED,
        message: type === 'Ready' ? 'kubelet is posting ready status' : `kubelet has no ${type.toLowerCase()}`,
        reason: type === 'Ready' ? 'KubeletReady' : `KubeletHasNo${type}`,
        status: type === 'Ready' ? 'True' : 'False',
        type,
      })),
      nodeInfo: {
        architecture: 'arm64',
        containerRuntimeVersion: 'containerd://1.7.27',
        kernelVersion: '6.1.134-152.225.amzn2023.aarch64',
        kubeProxyVersion: 'v1.31.7-eks-473151a',
        kubeletVersion: 'v1.31.7-eks-473151a',
        operatingSystem: 'linux',
        osImage: 'Amazon Linux 2023.7.20250512',
      },
    },
  };
}

function* configMaps(namespaces: string[], names: NameSource): Generator<Record<string, unknown>> {
  const configMap = (namespace: string, name: string, data: Record<string, string>) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    data,
    metadata: { creationTimestamp: CREATED, name, namespace, resourceVersion: '2160679', uid: names.uid() },
  });
  for (const namespace of namespaces) {
    if (namespace === 'kube-system') {
      yield configMap(namespace, 'amazon-vpc-cni', { 'enable-network-policy-controller': 'true', 'enable-windows-ipam': 'false', 'warm-ip-target': '1' });
      yield configMap(namespace, 'coredns', { Corefile: '.:53 {\n    errors\n    health\n    kubernetes cluster.local in-addr.arpa ip6.arpa\n    forward . /etc/resolv.conf\n    cache 30\n}\n' });
      yield configMap(namespace, 'kube-proxy', { config: 'kind: KubeProxyConfiguration\napiVersion: kubeproxy.config.k8s.io/v1alpha1\nmode: iptables\n' });
    }
    yield configMap(namespace, 'kube-root-ca.crt', { 'ca.crt': ROOT_CA });
  }
}

/** A uid that other objects can name without a lookup (owners referenced before or after they are written). */
function fixedUid(space: number, name: string): string {
  let hash = 2166136261 ^ space;
  for (let index = 0; index < name.length; index += 1) hash = Math.imul(hash ^ name.charCodeAt(index), 16777619);
  const hex = (hash >>> 0).toString(16).padStart(8, '0');
  return `${hex}-0000-4000-8000-${hex}${hex.slice(0, 4)}`;
}

/** Random-looking names and ids from a fixed seed (mulberry32), so every run writes the same file. */
class NameSource {
  private state = 0x5eed;
  private readonly taken = new Set<string>();

  int(bound: number): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = Math.imul(this.state ^ (this.state >>> 15), 1 | this.state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) % bound;
  }

  suffix(length: number): string {
    return Array.from({ length }, () => SUFFIX_ALPHABET[this.int(SUFFIX_ALPHABET.length)]).join('');
  }

  /** `prefix` and a random suffix, never the same name twice (the loader keeps one object per name). */
  uniqueName(prefix: string): string {
    let name: string;
    do name = `${prefix}${this.suffix(5)}`;
    while (this.taken.has(name));
    this.taken.add(name);
    return name;
  }

  hex(length: number): string {
    return Array.from({ length }, () => this.int(16).toString(16)).join('');
  }

  uid(): string {
    const hex = this.hex(32);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20)}`;
  }
}
