import { describe, expect, test } from '@jest/globals';
import { engineHealthCheck } from '../../../lambda/audit/checks/engine-health.js';
import { Status } from '../../../lambda/audit/finding.js';
import {
  auditContext,
  awsNode,
  daemonSet,
  eksCluster,
  node,
  snapshot,
  vpcCniAddon,
  vpcCniConfigMap,
} from '../engines/fixtures.js';

/** The verdict engine-health gives when no agent can be judged: UNKNOWN on the Cluster resource. */
const UNKNOWN_ON_THE_CLUSTER = { status: Status.Unknown, resource: { kind: 'Cluster', namespace: null, name: 'prod' } };
const ready = (numberReady: number, desiredNumberScheduled: number) => ({ numberReady, desiredNumberScheduled });
const vpcCniWith = (status?: ReturnType<typeof ready>) =>
  snapshot({ daemonSets: [awsNode({ status })], configMaps: [vpcCniConfigMap('true')] });

describe('engine-health check', () => {
  test('agents ready on fewer nodes than desired: FAIL naming the DaemonSet and the counts', () => {
    // Prepare
    const context = auditContext(vpcCniWith(ready(2, 5)));

    // Act
    const verdicts = engineHealthCheck.evaluate(context);

    // Assess
    expect(verdicts).toHaveLength(1);
    expect(verdicts[0]).toMatchObject({
      status: Status.Fail,
      resource: { kind: 'DaemonSet', namespace: 'kube-system', name: 'aws-node' },
      evidence: { engine: 'aws-vpc-cni', desired_number_scheduled: 5, number_ready: 2 },
    });
    expect(verdicts[0].message).toContain('DaemonSet kube-system/aws-node');
    expect(verdicts[0].message).toContain('2 of 5 nodes ready');
    expect(verdicts[0].message).toContain('the other 3');
  });

  test('a FAIL says how to inspect the agents, with the DaemonSet selector', () => {
    // Prepare
    const context = auditContext(vpcCniWith(ready(4, 5)));

    // Act
    const [verdict] = engineHealthCheck.evaluate(context);

    // Assess
    expect(verdict.remediation).toContain('`kubectl -n kube-system rollout status ds/aws-node`');
    expect(verdict.remediation).toContain('`kubectl -n kube-system describe ds/aws-node`');
    expect(verdict.remediation).toContain('`kubectl -n kube-system get pods -l k8s-app=aws-node -o wide`');
  });

  test('agents ready on every desired node: PASS', () => {
    // Prepare
    const context = auditContext(vpcCniWith(ready(5, 5)));

    // Act
    const verdicts = engineHealthCheck.evaluate(context);

    // Assess
    expect(verdicts).toHaveLength(1);
    expect(verdicts[0].status).toBe(Status.Pass);
    expect(verdicts[0].message).toContain('ready on all 5 of 5 nodes');
  });

  test('a DaemonSet without status: UNKNOWN, not PASS', () => {
    // Prepare
    const context = auditContext(vpcCniWith(undefined));

    // Act
    const [verdict] = engineHealthCheck.evaluate(context);

    // Assess
    expect(verdict.status).toBe(Status.Unknown);
    expect(verdict.message).toContain('has no status');
  });

  test('one verdict per agent of every enforcing engine', () => {
    // Prepare
    const calico = daemonSet('calico-system', 'calico-node', undefined, ready(3, 5));
    const input = snapshot({
      daemonSets: [awsNode({ status: ready(5, 5) }), calico],
      configMaps: [vpcCniConfigMap('true')],
    });

    // Act
    const verdicts = engineHealthCheck.evaluate(auditContext(input));

    // Assess
    expect(verdicts.map((v) => [v.resource.namespace, v.resource.name, v.status])).toEqual([
      ['kube-system', 'aws-node', Status.Pass],
      ['calico-system', 'calico-node', Status.Fail],
    ]);
  });

  test('engine FAIL: one UNKNOWN on the Cluster saying no enforcing engine could be checked', () => {
    // Prepare: flannel only, whose DaemonSet is unhealthy but is no engine
    const flannel = daemonSet('kube-flannel', 'kube-flannel-ds', undefined, ready(1, 3));
    const context = auditContext(snapshot({ daemonSets: [flannel] }));

    // Act
    const verdicts = engineHealthCheck.evaluate(context);

    // Assess
    expect(context.engine.status).toBe(Status.Fail);
    expect(verdicts).toMatchObject([UNKNOWN_ON_THE_CLUSTER]);
    expect(verdicts[0].message).toContain('no enforcing NetworkPolicy engine whose node agents could be checked');
  });

  test('engine UNKNOWN: one UNKNOWN on the Cluster', () => {
    // Prepare
    const cilium = daemonSet('kube-system', 'cilium', undefined, ready(2, 2));
    const context = auditContext(snapshot({ daemonSets: [cilium] }));

    // Act
    const verdicts = engineHealthCheck.evaluate(context);

    // Assess
    expect(verdicts).toHaveLength(1);
    expect(verdicts[0].status).toBe(Status.Unknown);
    expect(verdicts[0].resource.kind).toBe('Cluster');
    expect(verdicts[0].message).toContain('the engine check is UNKNOWN');
  });

  test('engine PASS from the add-on only: one UNKNOWN on the Cluster because DaemonSets were not read', () => {
    // Prepare
    const input = snapshot({}, {
      addons: [vpcCniAddon('{"enableNetworkPolicy":"true"}')],
      problems: [{ kind: 'daemonSets', reason: '403 Forbidden', remediation: 'Grant list on daemonsets.' }],
    });
    const context = auditContext(input);

    // Act
    const verdicts = engineHealthCheck.evaluate(context);

    // Assess
    expect(context.engine.status).toBe(Status.Pass);
    expect(verdicts).toMatchObject([{ ...UNKNOWN_ON_THE_CLUSTER, remediation: 'Grant list on daemonsets.' }]);
    expect(verdicts[0].message).toContain('DaemonSets were not read');
    expect(verdicts[0].message).toContain('403 Forbidden');
  });
});

describe('engine-health check under EKS Auto Mode', () => {
  const autoModeOn = { eks: eksCluster(true) };
  const kubeProxy = daemonSet('kube-system', 'kube-proxy', undefined, ready(3, 3));

  test('the managed agent: one UNKNOWN on the Cluster saying EKS Auto Mode manages it', () => {
    // Prepare
    const input = snapshot({ daemonSets: [kubeProxy], configMaps: [vpcCniConfigMap('true')] }, autoModeOn);
    const context = auditContext(input);

    // Act
    const verdicts = engineHealthCheck.evaluate(context);

    // Assess
    expect(context.engine.status).toBe(Status.Pass);
    expect(verdicts).toMatchObject([
      { ...UNKNOWN_ON_THE_CLUSTER, evidence: { engine: 'aws-vpc-cni', managed_by: 'eks-auto-mode', compute_config_enabled: true } },
    ]);
    expect(verdicts[0].message).toContain('managed by EKS Auto Mode');
    expect(verdicts[0].message).toContain('cannot be checked from the Kubernetes API');
  });

  test('the managed agent beside Calico: the UNKNOWN for Auto Mode, then Calico checked as usual', () => {
    // Prepare
    const calico = daemonSet('calico-system', 'calico-node', undefined, ready(2, 3));
    const nodes = [node('i-0a1b2c3d4e5f60001', 'auto')];
    const input = snapshot({ daemonSets: [kubeProxy, calico], configMaps: [vpcCniConfigMap('true')], nodes });

    // Act
    const verdicts = engineHealthCheck.evaluate(auditContext(input));

    // Assess
    expect(verdicts.map((v) => [v.resource.kind, v.resource.name, v.status])).toEqual([
      ['Cluster', 'prod', Status.Unknown],
      ['DaemonSet', 'calico-node', Status.Fail],
    ]);
  });

  test('Auto Mode decided without DaemonSets: the Auto Mode UNKNOWN, not "DaemonSets were not read"', () => {
    // Prepare
    const context = auditContext(snapshot({ configMaps: [vpcCniConfigMap('true')] }, autoModeOn));

    // Act
    const verdicts = engineHealthCheck.evaluate(context);

    // Assess
    expect(verdicts).toHaveLength(1);
    expect(verdicts[0].message).toContain('managed by EKS Auto Mode');
    expect(verdicts[0].message).not.toContain('DaemonSets were not read');
  });

  test('Auto Mode with its controller off while Calico enforces: only Calico is checked', () => {
    // Prepare
    const calico = daemonSet('calico-system', 'calico-node', undefined, ready(3, 3));
    const input = snapshot({ daemonSets: [calico], configMaps: [vpcCniConfigMap('false')] }, autoModeOn);

    // Act
    const verdicts = engineHealthCheck.evaluate(auditContext(input));

    // Assess
    expect(verdicts.map((v) => [v.resource.name, v.status])).toEqual([['calico-node', Status.Pass]]);
  });
});

describe('engine-health check for Canal', () => {
  test('the canal DaemonSet is checked as the calico node agent', () => {
    // Prepare
    const canal = daemonSet('kube-system', 'canal', [{ name: 'calico-node' }, { name: 'kube-flannel' }], ready(1, 2));

    // Act
    const [verdict] = engineHealthCheck.evaluate(auditContext(snapshot({ daemonSets: [canal] })));

    // Assess
    expect(verdict).toMatchObject({
      status: Status.Fail,
      resource: { kind: 'DaemonSet', namespace: 'kube-system', name: 'canal' },
      evidence: { engine: 'calico' },
    });
    expect(verdict.message).toContain('DaemonSet kube-system/canal (the calico node agent) has 1 of 2 nodes ready');
  });
});
