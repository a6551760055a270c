import { buildModel } from '../../lambda/audit/model.js';
import type { Pod } from '../../lambda/audit/snapshot.js';
import { VPC_CNI_ENFORCING, namespace, options, ownedBy, pod, policy, snapshot } from './fixtures.js';

describe('buildModel', () => {
  it('leaves excluded namespaces out of namespaces, pods, policies and workloads', () => {
    // Prepare
    const snap = snapshot({
      namespaces: [namespace('shop'), namespace('kube-system'), namespace('payments')],
      pods: [pod('shop', 'web'), pod('kube-system', 'coredns-1', { owner: ownedBy('ReplicaSet', 'coredns-5d') })],
      networkPolicies: [policy('kube-system', 'allow-dns'), policy('shop', 'deny')],
    });

    // Act
    const model = buildModel(snap, options(['kube-system']), VPC_CNI_ENFORCING());

    // Assess
    expect(model.namespaces).toEqual(['payments', 'shop']);
    expect([...model.podsByNamespace.keys()]).toEqual(['shop']);
    expect(model.policies.map((view) => view.title)).toEqual(['NetworkPolicy shop/deny']);
    expect(model.workloads.map((workload) => `${workload.namespace}/${workload.name}`)).toEqual(['shop/web']);
  });

  it('audits every namespace with an empty exclusion list (strict CIS)', () => {
    const snap = snapshot({ namespaces: [namespace('kube-system')], pods: [pod('kube-system', 'coredns')], networkPolicies: [] });

    const model = buildModel(snap, options([]), VPC_CNI_ENFORCING());

    expect([model.namespaces, model.workloads.length]).toEqual([['kube-system'], 1]);
  });

  it('drops finished pods everywhere', () => {
    const snap = snapshot({
      pods: [pod('batch', 'done', { phase: 'Succeeded' }), pod('batch', 'crashed', { phase: 'Failed' }), pod('batch', 'pending', { phase: 'Pending' })],
      networkPolicies: [policy('batch', 'all')],
    });

    const model = buildModel(snap, options(), VPC_CNI_ENFORCING());

    expect(model.podsByNamespace.get('batch')?.map((p) => p.metadata.name)).toEqual(['pending']);
    expect(model.policies[0]?.selected.map((p) => p.metadata.name)).toEqual(['pending']);
  });

  it('keeps host-network pods in workloads but never among the pods a policy selects', () => {
    const exporter = pod('mon', 'exporter-1', { owner: ownedBy('DaemonSet', 'exporter'), labels: { app: 'exporter' }, spec: { hostNetwork: true } });
    const snap = snapshot({ pods: [exporter], networkPolicies: [policy('mon', 'exporter', { podSelector: { matchLabels: { app: 'exporter' } } })] });

    const model = buildModel(snap, options(), VPC_CNI_ENFORCING());

    expect(model.workloads.map((workload) => workload.pods.length)).toEqual([1]);
    expect(model.policies.map((view) => [view.selected.length, view.hostNetworkMatches])).toEqual([[0, 1]]);
    expect(model.policiesSelecting.has(exporter)).toBe(false);
  });

  it('indexes, per pod, every policy of its namespace that selects it, with effective types', () => {
    const web = pod('shop', 'web', { labels: { app: 'web' } });
    const snap = snapshot({
      pods: [web, pod('shop', 'db', { labels: { app: 'db' } })],
      networkPolicies: [policy('shop', 'deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }), policy('shop', 'web', { podSelector: { matchLabels: { app: 'web' } } }), policy('other', 'all')],
    });

    const model = buildModel(snap, options(), VPC_CNI_ENFORCING());

    expect(model.policiesSelecting.get(web)?.map((view) => [view.name, view.isolates])).toEqual([
      ['deny-all', ['Ingress', 'Egress']],
      ['web', ['Ingress']],
    ]);
  });

  it('has no namespaces when Namespaces were not read, and names the cluster resource', () => {
    const model = buildModel(snapshot({ pods: [] }), options(), VPC_CNI_ENFORCING());

    expect([model.namespaces, model.cluster]).toEqual([[], { kind: 'Cluster', namespace: null, name: 'prod-eu' }]);
  });

  it('grows linearly: twice the namespaces cost about twice the reads, not four times', () => {
    // Prepare: count every read of pod metadata, where namespaces and labels live.
    let reads = 0;
    const counted = (p: Pod): Pod => ({ ...p, metadata: new Proxy(p.metadata, { get: (target, key) => ((reads += 1), Reflect.get(target, key)) }) });
    const cluster = (namespaces: number) =>
      snapshot({
        pods: Array.from({ length: namespaces * 10 }, (_, i) => counted(pod(`ns-${i % namespaces}`, `p-${i}`, { labels: { app: `a${i % 3}` } }))),
        networkPolicies: Array.from({ length: namespaces * 3 }, (_, i) => policy(`ns-${i % namespaces}`, `np-${i}`, { podSelector: { matchLabels: { app: `a${i % 3}` } } })),
      });
    const readsFor = (namespaces: number) => {
      const snap = cluster(namespaces);
      reads = 0;
      buildModel(snap, options(), VPC_CNI_ENFORCING());
      return reads;
    };

    // Act
    const small = readsFor(50);
    const large = readsFor(100);

    // Assess
    expect(large / small).toBeGreaterThan(1.5);
    expect(large / small).toBeLessThan(2.5);
  });
});
