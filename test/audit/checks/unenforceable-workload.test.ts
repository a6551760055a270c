import { unenforceableWorkloadCheck } from '../../../lambda/audit/checks/unenforceable-workload.js';
import { EngineName, type EngineVerdict } from '../../../lambda/audit/engines/engine-verdict.js';
import { CheckId, Status } from '../../../lambda/audit/finding.js';
import type { KubeInventory, Pod } from '../../../lambda/audit/snapshot.js';
import { context, engine, findingsOf, node, ownedBy, pod, snapshot } from '../fixtures.js';

function evaluate(pods: Pod[], verdict?: EngineVerdict, extra: KubeInventory = {}) {
  return unenforceableWorkloadCheck.evaluate(context(snapshot({ pods, ...extra }), verdict));
}

const CALICO = engine(Status.Pass, [EngineName.Calico]);
const windowsPod = (name: string, spec: Pod['spec']) => pod('win', name, { owner: ownedBy('StatefulSet', 'iis'), spec });

describe('unenforceable-workload', () => {
  it('fails a DaemonSet with host-network pods, naming them and why', () => {
    // Prepare
    const pods = ['exporter-a', 'exporter-b'].map((name) => pod('mon', name, { owner: ownedBy('DaemonSet', 'exporter'), spec: { hostNetwork: true } }));

    // Act
    const [verdict] = evaluate(pods, CALICO);

    // Assess
    expect([verdict?.status, verdict?.resource, verdict?.message]).toEqual([
      Status.Fail,
      { kind: 'DaemonSet', namespace: 'mon', name: 'exporter' },
      'All 2 pods of DaemonSet mon/exporter are out of reach of any NetworkPolicy: exporter-a (host network), exporter-b (host network).',
    ]);
  });

  it.each([
    ['the fargate-profile label', { labels: { 'eks.amazonaws.com/fargate-profile': 'default' } }],
    ['a fargate- node name', { spec: { nodeName: 'fargate-ip-10-0-1-5.eu-west-1.compute.internal' } }],
    ['the fargate-scheduler', { spec: { schedulerName: 'fargate-scheduler' } }],
  ])('fails a Fargate pod recognised by %s, under any engine', (_name, podOptions) => {
    const [verdict] = evaluate([pod('serverless', 'api', podOptions)], CALICO);

    expect([verdict?.status, verdict?.message]).toEqual([Status.Fail, 'Pod serverless/api is out of reach of any NetworkPolicy: api (Fargate).']);
  });

  it.each([
    ['a nodeSelector', { nodeSelector: { 'kubernetes.io/os': 'windows' } }],
    ['spec.os', { os: { name: 'windows' } }],
  ])('fails a Windows pod recognised by %s under the VPC CNI', (_name, spec) => {
    const [verdict] = evaluate([windowsPod('iis-0', spec)]);

    expect([verdict?.status, verdict?.evidence?.out_of_reach_pods]).toEqual([Status.Fail, [{ pod: 'iis-0', reasons: ['Windows node under the VPC CNI'] }]]);
  });

  it('recognises a Windows pod by its node label when nodes were read', () => {
    const nodes = [node('win-node-1', { 'kubernetes.io/os': 'windows' })];

    const [verdict] = evaluate([windowsPod('iis-0', { nodeName: 'win-node-1' })], undefined, { nodes });

    expect([verdict?.status, verdict?.evidence?.nodes_read]).toEqual([Status.Fail, true]);
  });

  it('passes a Windows pod when Calico enforces', () => {
    expect(evaluate([windowsPod('iis-0', { os: { name: 'windows' } })], CALICO).map((v) => v.status)).toEqual([Status.Pass]);
  });

  it('passes a workload whose pods all run on Linux nodes in the pod network', () => {
    const [verdict] = evaluate([pod('shop', 'web')]);

    expect([verdict?.status, verdict?.message]).toEqual([
      Status.Pass,
      'No pod of Pod shop/web is out of reach of the NetworkPolicy engine (host network, Fargate, Windows under the VPC CNI).',
    ]);
  });

  it('counts only the affected pods of a mixed workload', () => {
    const pods = [pod('shop', 'web-1', { owner: ownedBy('StatefulSet', 'web') }), pod('shop', 'web-2', { owner: ownedBy('StatefulSet', 'web'), spec: { hostNetwork: true } })];

    const [verdict] = evaluate(pods);

    expect(verdict?.message).toBe('1 of 2 pods of StatefulSet shop/web is out of reach of any NetworkPolicy: web-2 (host network).');
  });

  it('reports nothing on excluded namespaces', () => {
    expect(evaluate([pod('kube-system', 'kube-proxy-x', { owner: ownedBy('DaemonSet', 'kube-proxy'), spec: { hostNetwork: true } })])).toEqual([]);
  });

  it('is UNKNOWN on the cluster when Pods were not read', () => {
    expect(findingsOf(CheckId.UnenforceableWorkload, snapshot({ networkPolicies: [] })).map((f) => [f.status, f.resource.kind])).toEqual([
      [Status.Unknown, 'Cluster'],
    ]);
  });
});
