/**
 * Offline loading by the kinds table: every object goes to the bucket of its (API group, kind), objects of APIs the
 * audit does not model are named in one warning per (group, kind) and never read as another kind, the policy APIs'
 * objects are validated, and CRDs or discovery output in the capture tell "not installed" from "not captured".
 */
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { KINDS } from '../../lambda/audit/kinds.js';
import type { ServedKinds } from '../../lambda/audit/snapshot.js';
import { loadOfflineSnapshot } from '../../lambda/collect/offline.js';
import { servedKindsWith } from '../support/kube-api-server.js';
import { inputFolder, list, networkPolicy, pod, warnings, type InputFolder } from './offline-helpers.js';

let folder: InputFolder;
beforeEach(async () => {
  folder = await inputFolder();
});
afterEach(() => folder.remove());

const AWS = 'networking.k8s.aws/v1alpha1';

/** Every CRD-backed row of the kinds table not installed, except those `served` names. */
const servedOnly = (served: ServedKinds) => servedKindsWith(served, false);

function calicoPolicy(namespace: string, name: string): object {
  return { apiVersion: 'projectcalico.org/v3', kind: 'NetworkPolicy', metadata: { name, namespace }, spec: { selector: 'app == "web"', types: ['Ingress'] } };
}

function crd(group: string, plural: string, kind: string, versions: string[]): object {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: { group, names: { plural, kind }, scope: 'Namespaced', versions: versions.map((name) => ({ name, served: true, storage: true })) },
  };
}

async function load(...documents: object[]) {
  const files = await Promise.all(documents.map((document, index) => folder.write(`input-${index}.json`, document)));
  const { warn, lines } = warnings();
  const snapshot = await loadOfflineSnapshot({ kube: files, eksAddons: [] }, warn);
  return { snapshot, lines, files };
}

describe('objects are identified by API group and kind', () => {
  test('a Calico NetworkPolicy is read as Calico\'s, never as a core NetworkPolicy', async () => {
    // Prepare
    const capture = list([
      pod('shop', 'web-1', { app: 'web' }),
      calicoPolicy('shop', 'allow-web'),
      calicoPolicy('shop', 'deny-all'),
      networkPolicy('shop', 'core', { podSelector: {} }),
    ]);

    // Act
    const { snapshot, lines } = await load(capture);

    // Assess
    expect(snapshot.kube.networkPolicies?.map((policy) => policy.metadata.name)).toEqual(['core']);
    expect(snapshot.kube.calicoNetworkPolicies?.map((policy) => policy.metadata.name)).toEqual(['allow-web', 'deny-all']);
    expect(lines.filter((line) => line.includes('does not model'))).toEqual([]);
  });

  test('a Calico policy whose selector cannot be parsed is named in a warning, with the position', async () => {
    // Prepare
    const broken = { ...calicoPolicy('shop', 'broken'), spec: { selector: 'app == web', types: ['Ingress'] } };

    // Act
    const { snapshot, lines, files } = await load(list([pod('shop', 'web-1', { app: 'web' }), broken]));

    // Assess
    expect(snapshot.kube.calicoNetworkPolicies).toHaveLength(1);
    expect(lines).toContain(
      `${files[0]}: items[1] (NetworkPolicy shop/broken): its selector "app == web" cannot be parsed (expected a quoted string, found "web" at position 7): ` +
        'the pods it may select are UNKNOWN; the audit is incomplete',
    );
  });

  test('unmodeled policy kinds are named per kind, other unmodeled kinds (Deployments, Services) stay silent', async () => {
    // Prepare
    const unmodeled = (apiVersion: string, kind: string, name: string) => ({ apiVersion, kind, metadata: { name, namespace: 'shop' }, spec: {} });
    const capture = list([
      unmodeled('k8s.cni.cncf.io/v1beta1', 'MultiNetworkPolicy', 'a'),
      unmodeled('cilium.io/v2alpha1', 'CiliumNetworkPolicy', 'b'),
      unmodeled('k8s.cni.cncf.io/v1beta1', 'MultiNetworkPolicy', 'c'),
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' } },
    ]);

    // Act
    const { lines } = await load(capture);

    // Assess
    const named = lines.filter((line) => line.includes('does not model'));
    expect(named.map((line) => line.split(' is an API')[0])).toEqual(['MultiNetworkPolicy (k8s.cni.cncf.io/v1beta1)', 'CiliumNetworkPolicy (cilium.io/v2alpha1)']);
    expect(named[0]).toContain('2 objects ignored');
  });

  test('a core kind at a version the audit does not read is named, not read', async () => {
    // Prepare
    const old = { apiVersion: 'extensions/v1beta1', kind: 'NetworkPolicy', metadata: { name: 'old', namespace: 'shop' }, spec: {} };

    // Act
    const { snapshot, lines } = await load(list([pod('shop', 'a'), old]));

    // Assess
    expect(snapshot.kube.networkPolicies).toEqual([]);
    expect(lines.some((line) => line.startsWith('NetworkPolicy (extensions/v1beta1) is an API the audit does not model'))).toBe(true);
  });

  test('an object of a modeled kind without apiVersion is skipped with a warning naming it', async () => {
    // Prepare
    const capture = list([{ kind: 'NetworkPolicy', metadata: { name: 'x', namespace: 'shop' }, spec: {} }]);

    // Act
    const { snapshot, lines, files } = await load(capture);

    // Assess
    expect(snapshot.kube.networkPolicies).toBeUndefined();
    expect(lines).toEqual([
      `${files[0]}: items[0] (NetworkPolicy shop/x): apiVersion is missing, so the API of its kind is not known; skipped`,
    ]);
  });

  test('the AWS policy APIs and NodeClasses reach their own buckets, typed-list items with the list group version', async () => {
    // Prepare
    const capture = list([
      { apiVersion: AWS, kind: 'ApplicationNetworkPolicy', metadata: { name: 'anp', namespace: 'shop' }, spec: { podSelector: {} } },
      { apiVersion: AWS, kind: 'ClusterNetworkPolicy', metadata: { name: 'baseline' }, spec: { tier: 'Baseline', priority: 10, subject: { namespaces: {} } } },
      { apiVersion: AWS, kind: 'ClusterPolicyEndpoint', metadata: { name: 'baseline-x1' }, spec: { policyRef: { name: 'baseline' } } },
      { apiVersion: 'eks.amazonaws.com/v1', kind: 'NodeClass', metadata: { name: 'default' }, spec: { networkPolicy: 'DefaultDeny' } },
    ]);
    const endpoints = { apiVersion: AWS, kind: 'PolicyEndpointList', items: [{ metadata: { name: 'anp-abc', namespace: 'shop' }, spec: { policyRef: { name: 'anp', namespace: 'shop' } } }] };

    // Act
    const { snapshot, lines } = await load(capture, endpoints);

    // Assess
    expect(lines).toEqual([]);
    expect(snapshot.kube.applicationNetworkPolicies?.map((object) => object.metadata.name)).toEqual(['anp']);
    expect(snapshot.kube.awsClusterNetworkPolicies?.map((object) => object.metadata.name)).toEqual(['baseline']);
    expect(snapshot.kube.clusterPolicyEndpoints?.map((object) => object.metadata.name)).toEqual(['baseline-x1']);
    expect(snapshot.kube.nodeClasses?.map((object) => object.metadata.name)).toEqual(['default']);
    expect(snapshot.kube.policyEndpoints?.map((object) => [object.apiVersion, object.kind])).toEqual([[AWS, 'PolicyEndpoint']]);
    expect(snapshot.kube.networkPolicies).toBeUndefined();
  });
});

describe('the policy APIs are validated like the core kinds', () => {
  test.each([
    [
      'a ClusterNetworkPolicy of an unknown tier',
      { apiVersion: AWS, kind: 'ClusterNetworkPolicy', metadata: { name: 'x' }, spec: { tier: 'admin' } },
      'spec.tier is not one of Admin, Baseline',
    ],
    [
      'a ClusterNetworkPolicy rule without an action',
      { apiVersion: AWS, kind: 'ClusterNetworkPolicy', metadata: { name: 'x' }, spec: { tier: 'Admin', ingress: [{ from: [{ namespaces: {} }] }] } },
      'spec.ingress[0].action is missing',
    ],
    [
      'an ApplicationNetworkPolicy without a namespace',
      { apiVersion: AWS, kind: 'ApplicationNetworkPolicy', metadata: { name: 'x' }, spec: {} },
      'metadata.namespace is missing',
    ],
    [
      'an ApplicationNetworkPolicy egress peer with a bad selector',
      {
        apiVersion: AWS,
        kind: 'ApplicationNetworkPolicy',
        metadata: { name: 'x', namespace: 'shop' },
        spec: { egress: [{ to: [{ podSelector: { matchExpressions: [{ key: 'a', operator: 'Contains' }] } }] }] },
      },
      'spec.egress[0].to[0].podSelector.matchExpressions[0].operator "Contains" is not one of In, NotIn, Exists, DoesNotExist',
    ],
    [
      'a PolicyEndpoint whose endpoints are not a list',
      { apiVersion: AWS, kind: 'PolicyEndpoint', metadata: { name: 'x', namespace: 'shop' }, spec: { podSelectorEndpoints: {} } },
      'spec.podSelectorEndpoints is not a list',
    ],
    [
      'an AdminNetworkPolicy rule with the v1alpha2 action Accept (v1alpha1 writes Allow)',
      { apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'AdminNetworkPolicy', metadata: { name: 'x' }, spec: { ingress: [{ action: 'Accept', from: [{ namespaces: {} }] }] } },
      'spec.ingress[0].action is not one of Allow, Deny, Pass',
    ],
    [
      'a BaselineAdminNetworkPolicy rule with Pass, which only the Admin tier has',
      { apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'BaselineAdminNetworkPolicy', metadata: { name: 'x' }, spec: { egress: [{ action: 'Pass', to: [{ namespaces: {} }] }] } },
      'spec.egress[0].action is not one of Allow, Deny',
    ],
    [
      'an Antrea NetworkPolicy rule with the action Deny (Antrea writes Drop)',
      { apiVersion: 'crd.antrea.io/v1beta1', kind: 'NetworkPolicy', metadata: { name: 'x', namespace: 'shop' }, spec: { ingress: [{ action: 'Deny' }] } },
      'spec.ingress[0].action is not one of Allow, Drop, Reject, Pass',
    ],
    [
      'an Antrea ClusterNetworkPolicy appliedTo with a bad selector',
      { apiVersion: 'crd.antrea.io/v1alpha1', kind: 'ClusterNetworkPolicy', metadata: { name: 'x' }, spec: { appliedTo: [{ namespaceSelector: { matchLabels: 'all' } }] } },
      'spec.appliedTo[0].namespaceSelector.matchLabels is not an object',
    ],
    [
      'a NodeClass with an unknown network policy default',
      { apiVersion: 'eks.amazonaws.com/v1', kind: 'NodeClass', metadata: { name: 'x' }, spec: { networkPolicy: 'Deny' } },
      'spec.networkPolicy is not one of DefaultAllow, DefaultDeny',
    ],
  ])('%s is skipped with a warning naming the field', async (_name, object, problem) => {
    // Prepare
    const capture = list([object]);

    // Act
    const { lines, files } = await load(capture);

    // Assess
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^${files[0]}: items\\[0\\] \\(\\w+ (shop/)?x\\): `));
    expect(lines[0]).toContain(`: ${problem}; skipped`);
  });
});

describe('which APIs the cluster serves', () => {
  test('without CRDs or discovery output, an absent CRD kind is not captured: unread, with no served facts', async () => {
    // Prepare
    const capture = list([pod('shop', 'a')]);

    // Act
    const { snapshot } = await load(capture);

    // Assess
    expect(snapshot.kube.applicationNetworkPolicies).toBeUndefined();
    expect(snapshot.servedKinds).toBeUndefined();
  });

  test('CRDs in the capture: a kind whose CRD is absent is not installed (read, none), one whose CRD is there is not captured', async () => {
    // Prepare
    const capture = list([
      pod('shop', 'a'),
      crd('networking.k8s.aws', 'policyendpoints', 'PolicyEndpoint', ['v1alpha1']),
      crd('cilium.io', 'ciliumnetworkpolicies', 'CiliumNetworkPolicy', ['v2']),
    ]);

    // Act
    const { snapshot, lines } = await load(capture);

    // Assess
    expect(snapshot.kube.policyEndpoints).toBeUndefined();
    expect(snapshot.kube.applicationNetworkPolicies).toEqual([]);
    expect(snapshot.kube.nodeClasses).toEqual([]);
    expect(snapshot.servedKinds).toEqual(servedOnly({ policyEndpoints: true, ciliumNetworkPolicies: true }));
    expect(snapshot.problems.map((problem) => problem.kind)).toEqual(['namespaces', 'daemonSets', 'nodes', 'policyEndpoints', 'ciliumNetworkPolicies']);
    expect(lines.some((line) => line.includes('CustomResourceDefinition'))).toBe(false);
  });

  test('a CRD served at a version the audit does not read counts as not installed for the audit', async () => {
    // Prepare
    const capture = list([crd('networking.k8s.aws', 'policyendpoints', 'PolicyEndpoint', ['v1beta9'])]);

    // Act
    const { snapshot } = await load(capture);

    // Assess
    expect(snapshot.servedKinds?.policyEndpoints).toBe(false);
    expect(snapshot.kube.policyEndpoints).toEqual([]);
  });

  test('an empty typed CRD list says no policy API is installed', async () => {
    // Prepare
    const crds = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinitionList', items: [] };

    // Act
    const { snapshot } = await load(list([pod('shop', 'a')]), crds);

    // Assess
    expect(snapshot.servedKinds).toEqual(servedOnly({}));
    expect(snapshot.problems.map((problem) => problem.kind)).toEqual(['namespaces', 'daemonSets', 'nodes']);
  });

  test('discovery output: a group not listed is not installed, a group version resource list decides per resource', async () => {
    // Prepare
    const groups = {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: [{ name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }] }, { name: 'networking.k8s.aws', versions: [{ groupVersion: AWS, version: 'v1alpha1' }] }],
    };
    const resources = {
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: AWS,
      resources: [
        { name: 'policyendpoints', namespaced: true, kind: 'PolicyEndpoint' },
        { name: 'policyendpoints/status', namespaced: true, kind: 'PolicyEndpoint' },
      ],
    };

    // Act
    const { snapshot } = await load(list([pod('shop', 'a'), groups, resources]));

    // Assess
    expect(snapshot.servedKinds).toEqual(servedOnly({ policyEndpoints: true }));
  });

  test('a group list alone cannot tell which resources of a listed group are served', async () => {
    // Prepare
    const groups = { kind: 'APIGroupList', apiVersion: 'v1', groups: [{ name: 'networking.k8s.aws', versions: [{ version: 'v1alpha1' }] }] };

    // Act
    const { snapshot } = await load(groups);

    // Assess
    const otherGroups = servedOnly({});
    for (const spec of KINDS.filter((row) => row.group === 'networking.k8s.aws')) delete otherGroups[spec.bucket];
    expect(snapshot.servedKinds).toEqual(otherGroups);
    expect(snapshot.kube.policyEndpoints).toBeUndefined();
  });

  test('objects of a kind the CRDs say is not installed are kept: the objects are the stronger evidence', async () => {
    // Prepare
    const endpoint = { apiVersion: AWS, kind: 'PolicyEndpoint', metadata: { name: 'pe', namespace: 'shop' }, spec: {} };
    const crds = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinitionList', items: [] };

    // Act
    const { snapshot } = await load(list([endpoint]), crds);

    // Assess
    expect(snapshot.kube.policyEndpoints?.map((object) => object.metadata.name)).toEqual(['pe']);
  });
});
