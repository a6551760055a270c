import { groupWorkloads, isRunning, podsOf } from '../../lambda/audit/workloads.js';
import { job, ownedBy, pod, replicaSet } from './fixtures.js';

function summary(workloads: ReturnType<typeof groupWorkloads>) {
  return workloads.map(({ kind, namespace, name, pods, resolutionNotes }) => ({
    workload: `${kind} ${namespace}/${name}`,
    pods: pods.map((p) => p.metadata.name),
    resolutionNotes,
  }));
}

describe('groupWorkloads', () => {
  it('resolves ReplicaSet pods to their Deployment', () => {
    // Prepare
    const pods = [pod('shop', 'cart-1', { owner: ownedBy('ReplicaSet', 'cart-7d9f') }), pod('shop', 'cart-2', { owner: ownedBy('ReplicaSet', 'cart-5b8c') })];
    const replicaSets = [replicaSet('shop', 'cart-7d9f', ownedBy('Deployment', 'cart')), replicaSet('shop', 'cart-5b8c', ownedBy('Deployment', 'cart'))];

    // Act
    const workloads = groupWorkloads(pods, { replicaSets, jobs: [] });

    // Assess
    expect(summary(workloads)).toEqual([{ workload: 'Deployment shop/cart', pods: ['cart-1', 'cart-2'], resolutionNotes: [] }]);
  });

  it('resolves CronJob pods through their Job to the CronJob', () => {
    const pods = [pod('batch', 'report-28913785-x', { owner: ownedBy('Job', 'report-28913785') })];
    const jobs = [job('batch', 'report-28913785', ownedBy('CronJob', 'report'))];

    expect(summary(groupWorkloads(pods, { replicaSets: [], jobs }))[0]?.workload).toBe('CronJob batch/report');
  });

  it('keeps a Job without owner as the workload', () => {
    const pods = [pod('batch', 'migrate-x', { owner: ownedBy('Job', 'migrate') })];

    expect(summary(groupWorkloads(pods, { replicaSets: [], jobs: [job('batch', 'migrate')] }))[0]?.workload).toBe('Job batch/migrate');
  });

  it('takes StatefulSet and DaemonSet owners directly', () => {
    const pods = [pod('db', 'pg-0', { owner: ownedBy('StatefulSet', 'pg') }), pod('mon', 'exporter-x', { owner: ownedBy('DaemonSet', 'exporter') })];

    expect(summary(groupWorkloads(pods, {})).map((w) => w.workload)).toEqual(['StatefulSet db/pg', 'DaemonSet mon/exporter']);
  });

  it('makes a pod without owner its own workload', () => {
    expect(summary(groupWorkloads([pod('tools', 'debug')], {}))).toEqual([{ workload: 'Pod tools/debug', pods: ['debug'], resolutionNotes: [] }]);
  });

  it('makes a static pod, mirrored with its Node as owner, its own workload', () => {
    const mirror = pod('edge', 'proxy-ip-10-0-1-23', { owner: { apiVersion: 'v1', kind: 'Node', name: 'ip-10-0-1-23', controller: true } });

    expect(summary(groupWorkloads([mirror], {}))[0]?.workload).toBe('Pod edge/proxy-ip-10-0-1-23');
  });

  it('prefers the controller reference over the first one', () => {
    const shared = {
      ...pod('shop', 'web-1'),
      metadata: { name: 'web-1', namespace: 'shop', ownerReferences: [{ kind: 'ConfigMap', name: 'x' }, ownedBy('StatefulSet', 'web')] },
    };

    expect(summary(groupWorkloads([shared], {}))[0]?.workload).toBe('StatefulSet shop/web');
  });

  it('stops at the ReplicaSet and says so when ReplicaSets were not read', () => {
    const pods = [pod('shop', 'cart-1', { owner: ownedBy('ReplicaSet', 'cart-7d9f') })];

    expect(summary(groupWorkloads(pods, { jobs: [] }))).toEqual([
      { workload: 'ReplicaSet shop/cart-7d9f', pods: ['cart-1'], resolutionNotes: ['ReplicaSets were not read: stopped at ReplicaSet cart-7d9f'] },
    ]);
  });

  it('stops at a Job that is not in the input and says so', () => {
    const pods = [pod('batch', 'gone-x', { owner: ownedBy('Job', 'gone') })];

    expect(summary(groupWorkloads(pods, { jobs: [] }))[0]?.resolutionNotes).toEqual(['Job gone is not in the input: stopped there']);
  });

  it('does not match an owner of the same name in another namespace', () => {
    const pods = [pod('shop', 'cart-1', { owner: ownedBy('ReplicaSet', 'cart-7d9f') })];

    const workloads = groupWorkloads(pods, { replicaSets: [replicaSet('payments', 'cart-7d9f', ownedBy('Deployment', 'cart'))] });

    expect(summary(workloads)[0]?.workload).toBe('ReplicaSet shop/cart-7d9f');
  });

  it('ends on an ownership cycle instead of hanging', () => {
    const pods = [pod('shop', 'p', { owner: ownedBy('ReplicaSet', 'a') })];
    const replicaSets = [replicaSet('shop', 'a', ownedBy('ReplicaSet', 'b')), replicaSet('shop', 'b', ownedBy('ReplicaSet', 'a'))];

    expect(summary(groupWorkloads(pods, { replicaSets }))[0]?.workload).toMatch(/^ReplicaSet shop\/[ab]$/);
  });
});

describe('isRunning', () => {
  it('counts Pending, Running and Unknown pods and ignores Succeeded and Failed ones', () => {
    const phases = ['Pending', 'Running', 'Unknown', 'Succeeded', 'Failed'];

    expect(phases.map((phase) => isRunning(pod('ns', phase, { phase })))).toEqual([true, true, true, false, false]);
  });
});

describe('podsOf', () => {
  it('words the subject for a bare pod, a single pod, all pods and some pods', () => {
    const deployment = { kind: 'Deployment', namespace: 'shop', name: 'cart' };

    const phrases = [podsOf({ kind: 'Pod', namespace: 'tools', name: 'debug' }, 1, 1), podsOf(deployment, 1, 1), podsOf(deployment, 5, 5), podsOf(deployment, 1, 5), podsOf(deployment, 3, 5)];

    expect(phrases).toEqual([
      'Pod tools/debug is',
      'The pod of Deployment shop/cart is',
      'All 5 pods of Deployment shop/cart are',
      '1 of 5 pods of Deployment shop/cart is',
      '3 of 5 pods of Deployment shop/cart are',
    ]);
  });
});
