import { KINDS } from '../../lambda/audit/kinds.js';
import { loadOfflineSnapshot } from '../../lambda/collect/offline.js';
import { inputFolder, list, networkPolicy, pod, warnings, type InputFolder } from './offline-helpers.js';

let folder: InputFolder;
beforeEach(async () => {
  folder = await inputFolder();
});
afterEach(() => folder.remove());

const namespace = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const configMap = (ns: string, name: string, data: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: ns, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(data) } },
  data,
});

describe('kubectl output shapes', () => {
  test('an untyped List is sorted into inventory buckets and unknown kinds are ignored', async () => {
    // Prepare
    const file = await folder.write(
      'cluster.json',
      list([
        namespace('shop'),
        pod('shop', 'web-1', { app: 'web' }),
        networkPolicy('shop', 'default-deny', { podSelector: {}, policyTypes: ['Ingress'] }),
        { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' } },
      ]),
    );
    const { warn, lines } = warnings();

    // Act
    const snapshot = await loadOfflineSnapshot({ kube: [file], eksAddons: [] }, warn);

    // Assess
    expect(snapshot.kube.namespaces?.map((object) => object.metadata.name)).toEqual(['shop']);
    expect(snapshot.kube.pods?.map((object) => object.metadata.name)).toEqual(['web-1']);
    expect(snapshot.kube.networkPolicies?.map((object) => object.metadata.name)).toEqual(['default-deny']);
    expect(Object.keys(snapshot.kube).sort()).toEqual(['configMaps', 'jobs', 'namespaces', 'networkPolicies', 'pods', 'replicaSets']);
    expect(lines.some((line) => line.includes('Deployment'))).toBe(false);
  });

  test('a typed list gives its kind to items that lack one, and an empty typed list marks its kind read', async () => {
    // Prepare
    const bare = (object: object) => Object.fromEntries(Object.entries(object).filter(([key]) => key !== 'kind'));
    const pods = await folder.write('pods.json', { apiVersion: 'v1', kind: 'PodList', items: [bare(pod('shop', 'a'))] });
    const policies = await folder.write('netpol.json', { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicyList', items: [] });
    const daemonSets = await folder.write('ds.json', { apiVersion: 'v1', kind: 'DaemonSetList', items: [] });
    const { warn, lines } = warnings();

    // Act
    const snapshot = await loadOfflineSnapshot({ kube: [pods, policies, daemonSets], eksAddons: [] }, warn);

    // Assess
    expect(snapshot.kube.pods?.map((object) => [object.kind, object.metadata.name])).toEqual([['Pod', 'a']]);
    expect(snapshot.kube.networkPolicies).toEqual([]);
    expect(snapshot.kube.daemonSets).toEqual([]);
    expect(lines.filter((line) => line.includes('NetworkPolicy'))).toEqual([]);
  });

  test('a file holding a single object is read as that object', async () => {
    // Prepare
    const file = await folder.write('policy.json', networkPolicy('shop', 'allow-web', { podSelector: { matchLabels: { app: 'web' } } }));

    // Act
    const snapshot = await loadOfflineSnapshot({ kube: [file], eksAddons: [] }, warnings().warn);

    // Assess
    expect(snapshot.kube.networkPolicies?.[0]?.metadata).toEqual({ name: 'allow-web', namespace: 'shop' });
    expect(snapshot.kube.pods).toBeUndefined();
  });

  test('multi-document YAML is read document by document', async () => {
    // Prepare
    const file = await folder.write(
      'manifests.yaml',
      [
        'apiVersion: v1',
        'kind: Namespace',
        'metadata:',
        '  name: payments',
        '---',
        'apiVersion: networking.k8s.io/v1',
        'kind: NetworkPolicy',
        'metadata:',
        '  name: deny-all',
        '  namespace: payments',
        'spec:',
        '  podSelector: {}',
        '  policyTypes: [Ingress, Egress]',
        '---',
        '',
      ].join('\n'),
    );

    // Act
    const snapshot = await loadOfflineSnapshot({ kube: [file], eksAddons: [] }, warnings().warn);

    // Assess
    expect(snapshot.kube.namespaces?.map((object) => object.metadata.name)).toEqual(['payments']);
    expect(snapshot.kube.networkPolicies?.[0]).toMatchObject({ spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } });
  });

  test('`kubectl get -o yaml` List output is read like its JSON form', async () => {
    // Prepare
    const file = await folder.write(
      'cluster.yaml',
      [
        'apiVersion: v1',
        'kind: List',
        'items:',
        '- apiVersion: v1',
        '  kind: Pod',
        '  metadata:',
        '    name: ledger-0',
        '    namespace: payments',
        '    labels:',
        '      app.kubernetes.io/name: ledger',
        '  status:',
        '    phase: Running',
        'metadata:',
        '  resourceVersion: ""',
      ].join('\n'),
    );

    // Act
    const snapshot = await loadOfflineSnapshot({ kube: [file], eksAddons: [] }, warnings().warn);

    // Assess
    expect(snapshot.kube.pods?.[0]?.metadata).toEqual({
      name: 'ledger-0',
      namespace: 'payments',
      labels: { 'app.kubernetes.io/name': 'ledger' },
    });
  });

  test('objects repeated across files are kept once', async () => {
    // Prepare
    const first = await folder.write('a.json', list([pod('shop', 'web-1'), pod('shop', 'web-2')]));
    const second = await folder.write('b.json', list([pod('shop', 'web-2'), pod('shop', 'web-3')]));

    // Act
    const snapshot = await loadOfflineSnapshot({ kube: [first, second], eksAddons: [] }, warnings().warn);

    // Assess
    expect(snapshot.kube.pods?.map((object) => object.metadata.name)).toEqual(['web-1', 'web-2', 'web-3']);
  });
});

describe('two different copies of one object', () => {
  const versioned = (name: string, resourceVersion: string | undefined, labels: Record<string, string>) => {
    const object = pod('shop', name, labels) as { metadata: Record<string, unknown> };
    if (resourceVersion !== undefined) object.metadata.resourceVersion = resourceVersion;
    return object;
  };

  test('the copy with the higher resourceVersion is kept, with a warning naming both places', async () => {
    // Prepare: the newer copy comes first, so "the later file wins" would keep the wrong one
    const newer = await folder.write('newer.json', list([versioned('web-1', '120', { app: 'new' })]));
    const older = await folder.write('older.json', list([pod('shop', 'web-0'), versioned('web-1', '98', { app: 'old' })]));
    const { warn, lines } = warnings();

    // Act
    const snapshot = await loadOfflineSnapshot({ kube: [newer, older], eksAddons: [] }, warn);

    // Assess
    expect(snapshot.kube.pods?.map((object) => [object.metadata.name, object.metadata.labels])).toEqual([
      ['web-1', { app: 'new' }],
      ['web-0', {}],
    ]);
    expect(lines.filter((line) => line.includes('differs'))).toEqual([
      `${older}: items[1] (Pod shop/web-1): differs from the copy at ${newer}: items[0]; kept the copy at ${newer}: items[0] (higher resourceVersion 120 > 98)`,
    ]);
  });

  test('without resourceVersions to compare, the copy of the later file is kept', async () => {
    // Prepare
    const first = await folder.write('a.json', list([versioned('web-1', undefined, { app: 'a' })]));
    const second = await folder.write('b.json', list([versioned('web-1', '7', { app: 'b' })]));
    const { warn, lines } = warnings();

    // Act
    const snapshot = await loadOfflineSnapshot({ kube: [first, second], eksAddons: [] }, warn);

    // Assess
    expect(snapshot.kube.pods?.map((object) => object.metadata.labels)).toEqual([{ app: 'b' }]);
    expect(lines.filter((line) => line.includes('differs'))).toEqual([
      `${second}: items[0] (Pod shop/web-1): differs from the copy at ${first}: items[0]; kept the copy at ${second}: items[0] (the later one: no higher resourceVersion tells them apart)`,
    ]);
  });

  test('copies that differ only in the order of their keys (a JSON and a YAML capture) are one object, silently', async () => {
    // Prepare
    const json = await folder.write('a.json', list([pod('shop', 'web-1', { app: 'web' })]));
    const yaml = await folder.write(
      'b.yaml',
      ['kind: Pod', 'apiVersion: v1', 'status: {phase: Running}', 'metadata: {namespace: shop, name: web-1, labels: {app: web}, uid: uid-shop-web-1}',
        'spec: {containers: [{image: "nginx:1.27", name: app}], nodeName: ip-10-0-1-10.eu-west-1.compute.internal}', ''].join('\n'),
    );
    const { warn, lines } = warnings();

    // Act
    const snapshot = await loadOfflineSnapshot({ kube: [json, yaml], eksAddons: [] }, warn);

    // Assess
    expect(snapshot.kube.pods).toHaveLength(1);
    expect(lines.filter((line) => line.includes('differs'))).toEqual([]);
  });
});

describe('which kinds were read', () => {
  test('with Pods present, absent NetworkPolicies, ReplicaSets, Jobs and ConfigMaps are taken as none, with a warning each', async () => {
    // Prepare
    const file = await folder.write('cluster.json', list([pod('shop', 'web-1')]));
    const { warn, lines } = warnings();

    // Act
    const snapshot = await loadOfflineSnapshot({ kube: [file], eksAddons: [] }, warn);

    // Assess
    expect([snapshot.kube.networkPolicies, snapshot.kube.replicaSets, snapshot.kube.jobs, snapshot.kube.configMaps]).toEqual([[], [], [], []]);
    expect(lines).toEqual(
      ['NetworkPolicy', 'ReplicaSet', 'Job', 'ConfigMap'].map(
        (kind) => `no ${kind} objects in the input: taken as none (capture with the README command)`,
      ),
    );
  });

  test('Namespaces, DaemonSets and Nodes are never assumed: absent means not read, with the reason recorded', async () => {
    // Prepare
    const file = await folder.write('cluster.json', list([pod('shop', 'web-1')]));

    // Act
    const snapshot = await loadOfflineSnapshot({ kube: [file], eksAddons: [] }, warnings().warn);

    // Assess
    expect([snapshot.kube.namespaces, snapshot.kube.daemonSets, snapshot.kube.nodes]).toEqual([undefined, undefined, undefined]);
    expect(snapshot.problems).toEqual([
      { kind: 'namespaces', reason: 'the input files hold no Namespace objects' },
      { kind: 'daemonSets', reason: 'the input files hold no DaemonSet objects' },
      { kind: 'nodes', reason: 'the input files hold no Node objects' },
      // Every CRD-backed row: nothing says whether it is installed.
      ...KINDS.filter((spec) => !spec.builtIn).map((spec) => ({ kind: spec.bucket, reason: `the input files hold no ${spec.kind} objects (${spec.group})` })),
    ]);
  });

  test('without Pods, a kind with no object and no typed list stays not read, silently', async () => {
    // Prepare
    const file = await folder.write('cluster.json', list([namespace('shop')]));
    const { warn, lines } = warnings();

    // Act
    const snapshot = await loadOfflineSnapshot({ kube: [file], eksAddons: [] }, warn);

    // Assess
    expect(snapshot.kube.networkPolicies).toBeUndefined();
    expect(snapshot.kube.pods).toBeUndefined();
    expect(lines).toEqual([]);
  });
});

describe('ConfigMaps', () => {
  test('only the engine ConfigMaps keep their data; the others keep their identity alone', async () => {
    // Prepare
    const file = await folder.write(
      'cluster.json',
      list([
        configMap('kube-system', 'amazon-vpc-cni', { 'enable-network-policy-controller': 'true' }),
        configMap('cilium', 'cilium-config', { 'enable-policy': 'default' }),
        configMap('shop', 'cilium-config', { password: 'hunter2' }),
        configMap('payments', 'db', { DATABASE_URL: 'postgres://ledger:s3cret@db/ledger' }),
      ]),
    );

    // Act
    const snapshot = await loadOfflineSnapshot({ kube: [file], eksAddons: [] }, warnings().warn);

    // Assess
    expect(snapshot.kube.configMaps?.map((object) => object.data)).toEqual([
      { 'enable-network-policy-controller': 'true' },
      { 'enable-policy': 'default' },
      undefined,
      undefined,
    ]);
    expect(JSON.stringify(snapshot)).not.toMatch(/hunter2|s3cret/);
  });
});

describe('EKS describe output', () => {
  test('the cluster identity comes from describe-cluster, account and region from its ARN', async () => {
    // Prepare
    const kube = await folder.write('capture.json', list([pod('shop', 'web-1')]));
    const cluster = await folder.write('eks-cluster.json', {
      cluster: {
        name: 'shop-eu',
        arn: 'arn:aws:eks:eu-west-1:111122223333:cluster/shop-eu',
        status: 'ACTIVE',
        version: '1.31',
        accessConfig: { authenticationMode: 'API_AND_CONFIG_MAP' },
        certificateAuthority: { data: 'LS0tLS1CRUdJTi...' },
      },
    });
    const addon = await folder.write('addon.json', {
      addon: { addonName: 'vpc-cni', clusterName: 'shop-eu', addonVersion: 'v1.19.2-eksbuild.1', configurationValues: '{"enableNetworkPolicy":"true"}' },
    });

    // Act
    const snapshot = await loadOfflineSnapshot({ kube: [kube], eksCluster: cluster, eksAddons: [addon] }, warnings().warn);

    // Assess
    expect(snapshot.cluster).toEqual({
      name: 'shop-eu',
      arn: 'arn:aws:eks:eu-west-1:111122223333:cluster/shop-eu',
      accountId: '111122223333',
      region: 'eu-west-1',
    });
    expect(snapshot.eks).toMatchObject({ name: 'shop-eu', version: '1.31', accessConfig: { authenticationMode: 'API_AND_CONFIG_MAP' } });
    expect(snapshot.addons).toEqual([
      expect.objectContaining({ addonName: 'vpc-cni', addonVersion: 'v1.19.2-eksbuild.1', configurationValues: '{"enableNetworkPolicy":"true"}' }),
    ]);
  });

  test('without describe-cluster the name is the first capture file name and the EKS parts stay unread', async () => {
    // Prepare
    const kube = await folder.write('staging-eu.json', list([pod('shop', 'web-1')]));

    // Act
    const snapshot = await loadOfflineSnapshot({ kube: [kube], eksAddons: [] }, warnings().warn);

    // Assess
    expect(snapshot.cluster).toEqual({ name: 'staging-eu' });
    expect([snapshot.eks, snapshot.addons]).toEqual([undefined, undefined]);
  });

  test('an add-on of another cluster is used with a warning naming both clusters', async () => {
    // Prepare
    const cluster = await folder.write('eks-cluster.json', { cluster: { name: 'shop-eu' } });
    const addon = await folder.write('addon.json', { addon: { addonName: 'vpc-cni', clusterName: 'shop-us' } });
    const { warn, lines } = warnings();

    // Act
    const snapshot = await loadOfflineSnapshot({ kube: [], eksCluster: cluster, eksAddons: [addon] }, warn);

    // Assess
    expect(snapshot.addons).toHaveLength(1);
    expect(lines).toEqual([`${addon}: add-on of cluster shop-us, not shop-eu; used anyway`]);
  });
});

describe('streamed captures', () => {
  test('kubectl\'s indented output loads item by item, without managedFields, as the compact form does', async () => {
    // Prepare
    const plain = pod('shop', 'web-1') as { metadata: object };
    const withManagedFields = { ...plain, metadata: { ...plain.metadata, managedFields: [{ manager: 'kubectl', operation: 'Update' }] } };
    const capture = list([withManagedFields, networkPolicy('shop', 'default-deny', { podSelector: {} })]);
    const indented = await folder.write('indented.json', JSON.stringify(capture, null, 4));
    const compact = await folder.write('compact.json', JSON.stringify(capture));

    // Act
    const fromIndented = await loadOfflineSnapshot({ kube: [indented], eksAddons: [] }, warnings().warn);
    const fromCompact = await loadOfflineSnapshot({ kube: [compact], eksAddons: [] }, warnings().warn);

    // Assess
    expect(fromIndented.kube.pods?.[0]?.metadata).not.toHaveProperty('managedFields');
    expect(fromIndented.kube.pods?.[0]?.metadata.name).toBe('web-1');
    expect(fromIndented.kube).toEqual(fromCompact.kube);
  });

  test('a typed list whose kind comes after its items still gives the items their kind', async () => {
    // Prepare: members in kubectl's alphabetical order, items without a kind as the API lists them
    const { kind: _kind, ...bare } = pod('shop', 'a') as { kind: string };
    const file = await folder.write('pods.json', `{"apiVersion":"v1","items":[${JSON.stringify(bare)}],"kind":"PodList","metadata":{}}`);

    // Act
    const snapshot = await loadOfflineSnapshot({ kube: [file], eksAddons: [] }, warnings().warn);

    // Assess
    expect(snapshot.kube.pods?.map((object) => [object.kind, object.metadata.name])).toEqual([['Pod', 'a']]);
  });
});
