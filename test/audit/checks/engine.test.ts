import { describe, expect, test } from '@jest/globals';
import { engineCheck } from '../../../lambda/audit/checks/engine.js';
import { Status } from '../../../lambda/audit/finding.js';
import { auditContext, awsNode, daemonSet, eksCluster, snapshot, vpcCniConfigMap } from '../engines/fixtures.js';

describe('engine check', () => {
  test('turns an enforcing engine into one PASS on the Cluster resource, with the detection evidence', () => {
    // Prepare
    const context = auditContext(snapshot({ daemonSets: [awsNode()], configMaps: [vpcCniConfigMap('true')] }));

    // Act
    const verdicts = engineCheck.evaluate(context);

    // Assess
    expect(verdicts).toEqual([
      {
        status: Status.Pass,
        resource: { kind: 'Cluster', namespace: null, name: 'prod' },
        message: context.engine.message,
        evidence: context.engine.evidence,
      },
    ]);
    expect(verdicts[0].evidence).toMatchObject({ enforcing: ['aws-vpc-cni'] });
  });

  test('a FAIL carries the engine remediation (the update-addon command for this cluster)', () => {
    // Prepare
    const input = snapshot({ daemonSets: [awsNode({ agentArgs: [] })], configMaps: [] }, { addons: [] });
    const context = auditContext(input);

    // Act
    const [verdict] = engineCheck.evaluate(context);

    // Assess
    expect(verdict.status).toBe(Status.Fail);
    expect(verdict.remediation).toContain('aws eks update-addon --cluster-name prod --addon-name vpc-cni');
  });

  test('an UNKNOWN engine stays UNKNOWN with its reason, never PASS', () => {
    // Prepare
    const context = auditContext(snapshot({ daemonSets: [daemonSet('kube-system', 'cilium')] }));

    // Act
    const verdicts = engineCheck.evaluate(context);

    // Assess
    expect(verdicts).toHaveLength(1);
    expect(verdicts[0].status).toBe(Status.Unknown);
    expect(verdicts[0].message).toContain('ConfigMap kube-system/cilium-config was not read');
  });

  test('an EKS Auto Mode FAIL carries the amazon-vpc-cni ConfigMap to apply instead of the add-on command', () => {
    // Prepare
    const input = snapshot({ daemonSets: [], configMaps: [] }, { eks: eksCluster(true) });
    const context = auditContext(input);

    // Act
    const [verdict] = engineCheck.evaluate(context);

    // Assess
    expect(verdict.status).toBe(Status.Fail);
    expect(verdict.remediation).toContain('Turn on the network policy controller of EKS Auto Mode');
    expect(verdict.remediation).toContain('  enable-network-policy-controller: "true"');
    expect(verdict.remediation).not.toContain('update-addon');
    expect(verdict.evidence).toMatchObject({ basis: 'eks-auto-mode' });
  });
});
