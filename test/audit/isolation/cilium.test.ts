/**
 * Cilium's policy APIs in the isolation model: label semantics of endpoint selectors (source prefixes, the labels
 * Cilium derives from the namespace), direction sections and `enableDefaultDeny`, the rules of `specs[]`, host
 * firewall policies, `enable-policy: always` without a catch-all, and what admits everything.
 */
import { EngineName } from '../../../lambda/audit/engines/engine-verdict.js';
import { Status } from '../../../lambda/audit/finding.js';
import { ciliumClusterwideNetworkPolicyApi, ciliumNetworkPolicyApi } from '../../../lambda/audit/isolation/cilium/policy.js';
import { ciliumSelectorProblem } from '../../../lambda/audit/isolation/cilium/selector.js';
import type { AuditModel } from '../../../lambda/audit/model.js';
import { namespaceLabels } from '../../../lambda/audit/objects.js';
import type { CiliumClusterwideNetworkPolicy, CiliumNetworkPolicy, CiliumRule, ConfigMap, DaemonSet, KubeInventory, Namespace } from '../../../lambda/audit/snapshot.js';
import { context, engine, namespace, pod, policy, snapshot } from '../fixtures.js';

const web = pod('shop', 'web-1', { labels: { app: 'web' } });
const shopLabels = namespaceLabels('shop', { ...namespace('shop'), metadata: { name: 'shop', labels: { team: 'retail' } } });

function cnp(name: string, spec: CiliumRule | undefined, specs?: CiliumRule[], namespaceName = 'shop'): CiliumNetworkPolicy {
  return { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name, namespace: namespaceName }, ...(spec ? { spec } : {}), ...(specs ? { specs } : {}) };
}

function ccnp(name: string, spec: CiliumRule): CiliumClusterwideNetworkPolicy {
  return { apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', metadata: { name }, spec };
}

const ciliumAgent: DaemonSet = { kind: 'DaemonSet', metadata: { name: 'cilium', namespace: 'kube-system' } };

function ciliumConfig(data: Record<string, string>): ConfigMap {
  return { kind: 'ConfigMap', metadata: { name: 'cilium-config', namespace: 'kube-system' }, data };
}

function modelOf(kube: KubeInventory, mode = 'default'): AuditModel {
  const retail: Namespace = { ...namespace('shop'), metadata: { name: 'shop', labels: { team: 'retail' } } };
  const inventory = { namespaces: [retail], pods: [web], networkPolicies: [], daemonSets: [ciliumAgent], configMaps: [ciliumConfig({ 'enable-policy': mode })], ...kube };
  return context(snapshot(inventory), engine(Status.Pass, [EngineName.Cilium])).model;
}

describe('Cilium endpoint selectors', () => {
  it('match pod labels with or without the k8s: source, and never a key of another source', () => {
    const read = (endpointSelector: CiliumRule['endpointSelector']) => ciliumNetworkPolicyApi.read(cnp('p', { endpointSelector, ingress: [{}] }), {}).subject;

    expect([
      read({ matchLabels: { 'k8s:app': 'web' } }).selectsPod(web, shopLabels),
      read({ matchLabels: { 'any:app': 'web' } }).selectsPod(web, shopLabels),
      read({ matchLabels: { 'reserved:app': 'web' } }).selectsPod(web, shopLabels),
      read({ matchExpressions: [{ key: 'reserved:host', operator: 'DoesNotExist' }] }).selectsPod(web, shopLabels),
    ]).toEqual([true, true, false, true]);
  });

  it('cannot match the labels Cilium leaves out of identities (pod-template-hash, kubernetes.io/…)', () => {
    const hashed = pod('shop', 'web-2', {
      labels: { app: 'web', 'pod-template-hash': '6d4b9c7f8', 'app.kubernetes.io/name': 'web', 'statefulset.kubernetes.io/pod-name': 'web-2', 'node.beta.kubernetes.io/x': 'y' },
    });
    const read = (matchLabels: Record<string, string>) => ciliumNetworkPolicyApi.read(cnp('p', { endpointSelector: { matchLabels }, ingress: [{}] }), {}).subject;

    expect([
      read({ 'pod-template-hash': '6d4b9c7f8' }).selectsPod(hashed, shopLabels),
      read({ 'app.kubernetes.io/name': 'web' }).selectsPod(hashed, shopLabels),
      read({ 'k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name': 'shop' }).selectsPod(hashed, shopLabels),
      read({ 'statefulset.kubernetes.io/pod-name': 'web-2' }).selectsPod(hashed, shopLabels),
      read({ 'node.beta.kubernetes.io/x': 'y' }).selectsPod(hashed, shopLabels),
    ]).toEqual([false, true, true, false, false]);
  });

  it('select in a CiliumNetworkPolicy only its own namespace, whatever namespace its selector names', () => {
    const subject = ciliumNetworkPolicyApi.read(cnp('p', { endpointSelector: { matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'other', app: 'web' } }, ingress: [{}] }), {}).subject;

    expect([subject.namespace, subject.selectsPod(web, shopLabels), subject.everyPod]).toEqual(['shop', true, false]);
  });

  it('reach namespaces in a clusterwide policy by name and by the io.cilium.k8s.namespace.labels labels', () => {
    const byName = ccnp('by-name', { endpointSelector: { matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'shop' } }, ingress: [{}] });
    const byLabel = ccnp('by-label', { endpointSelector: { matchLabels: { 'k8s:io.cilium.k8s.namespace.labels.team': 'payments' } }, ingress: [{}] });
    const [name, label] = [byName, byLabel].map((object) => ciliumClusterwideNetworkPolicyApi.read(object, {}).subject);

    expect([name.selectsNamespace(shopLabels), name.everyNamespace, name.everyPod, label.selectsNamespace(shopLabels), label.selectsPod(web, shopLabels)]).toEqual([
      true,
      false,
      true,
      false,
      false,
    ]);
  });

  it('are validated on their keys without the source prefix', () => {
    expect([
      ciliumSelectorProblem({ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'shop' } }),
      ciliumSelectorProblem({ matchExpressions: [{ key: 'k8s:app', operator: 'Like', values: ['a'] }] }),
    ]).toEqual([undefined, 'matchExpressions[0].operator "Like" is not one of In, NotIn, Exists, DoesNotExist']);
  });
});

describe('Cilium direction sections', () => {
  const read = (rule: Omit<CiliumRule, 'endpointSelector'>) => ciliumNetworkPolicyApi.read(cnp('p', { endpointSelector: {}, ...rule }), {});

  it('isolate a direction with at least one entry, allow or deny, unless enableDefaultDeny turns it off', () => {
    expect([
      read({ ingress: [] }).isolates,
      read({ ingress: [{}] }).isolates,
      read({ ingressDeny: [{ fromEntities: ['world'] }], egress: [{ toEntities: ['cluster'] }] }).isolates,
      read({ ingress: [{}], egress: [{}], enableDefaultDeny: { ingress: false } }).isolates,
    ]).toEqual([[], ['Ingress'], ['Ingress', 'Egress'], ['Egress']]);
  });

  it('deny by default where every pod is selected and no entry allows anything', () => {
    expect([
      read({ ingress: [{}] }).deniesByDefault,
      read({ ingress: [{ fromEndpoints: [{ matchLabels: { app: 'api' } }] }] }).deniesByDefault,
      read({ ingressDeny: [{ fromEntities: ['world'] }] }).deniesByDefault,
    ]).toEqual([['Ingress'], [], ['Ingress']]);
  });

  it('of the rules in specs[] isolate each pod only for the rules that select it', () => {
    const model = modelOf({
      ciliumNetworkPolicies: [cnp('per-app', undefined, [{ endpointSelector: { matchLabels: { app: 'web' } }, ingress: [{}] }, { endpointSelector: { matchLabels: { app: 'api' } }, egress: [{}] }])],
    });

    expect([model.isolation.get(web)?.Ingress.isolated, model.isolation.get(web)?.Egress.isolated]).toEqual([true, false]);
  });

  it('of a host firewall policy (nodeSelector) select no pod and say so', () => {
    const facts = ciliumClusterwideNetworkPolicyApi.read(ccnp('host', { nodeSelector: {}, ingress: [{}] }), {});

    expect([facts.subject.selectsPod(web, shopLabels), facts.subject.selectsNamespace(shopLabels), facts.subject.everyPod, facts.subject.nodes]).toEqual([
      false,
      false,
      false,
      'every node',
    ]);
  });
});

describe('Cilium permissive rules', () => {
  const permissive = (entry: NonNullable<CiliumRule['ingress']>[number], clusterwide = false) => {
    const rule: CiliumRule = { endpointSelector: { matchLabels: { app: 'web' } }, ingress: [entry] };
    const facts = clusterwide ? ciliumClusterwideNetworkPolicyApi.read(ccnp('p', rule), {}) : ciliumNetworkPolicyApi.read(cnp('p', rule), {});
    return facts.permissive.map(({ admits, ports }) => ({ admits, ports }));
  };

  it('name what fromEntities, a /0 CIDR, a port-only rule and an every-namespace peer admit', () => {
    expect([
      permissive({ fromEntities: ['world'], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] }),
      permissive({ fromCIDRSet: [{ cidr: '0.0.0.0/0' }] }),
      permissive({ toPorts: [{ ports: [{ port: '8080' }] }] }),
      permissive({ fromEndpoints: [{}] }),
      permissive({ fromEndpoints: [{}] }, true),
      permissive({ fromEndpoints: [{ matchExpressions: [{ key: 'k8s:io.kubernetes.pod.namespace', operator: 'Exists' }] }] }),
      permissive({}),
    ]).toEqual([
      [{ admits: 'all traffic from outside the cluster', ports: ['TCP/443'] }],
      [{ admits: 'all traffic from outside the cluster', ports: [] }],
      [{ admits: 'all traffic from everywhere', ports: ['ANY/8080'] }],
      [],
      [{ admits: 'traffic from every pod of every namespace', ports: [] }],
      [{ admits: 'traffic from every pod of every namespace', ports: [] }],
      [],
    ]);
  });
});

describe('Cilium enable-policy: always', () => {
  it('denies both directions of a pod no policy selects', () => {
    const model = modelOf({}, 'always');

    expect([model.isolation.get(web)?.Ingress.by, model.isolation.get(web)?.Egress.isolated]).toEqual([
      ['denied by default: Cilium enable-policy: always, every pod is enforced'],
      true,
    ]);
  });

  it('keeps the other direction denied once a policy selects the pod for one: no catch-all', () => {
    const model = modelOf({ networkPolicies: [policy('shop', 'ingress-only', { podSelector: {}, policyTypes: ['Ingress'] })] }, 'always');

    expect([model.isolation.get(web)?.Egress, model.namespaceIsolation.get('shop')?.Egress.deniedByDefault]).toEqual([
      { isolated: true, by: ['denied by default: Cilium enable-policy: always, every pod is enforced'] },
      ['denied by default: Cilium enable-policy: always, every pod is enforced'],
    ]);
  });

  it('does not apply where Cilium does not enforce', () => {
    const retail: Namespace = { ...namespace('shop'), metadata: { name: 'shop', labels: { team: 'retail' } } };
    const snap = snapshot({ namespaces: [retail], pods: [web], networkPolicies: [], daemonSets: [ciliumAgent], configMaps: [ciliumConfig({ 'enable-policy': 'always' })] });

    expect(context(snap, engine(Status.Pass, [EngineName.Calico])).model.isolation.get(web)?.Ingress.isolated).toBe(false);
  });
});
