import { workloadEgressCoverageCheck } from '../../../lambda/audit/checks/workload-egress-coverage.js';
import { CheckId, Status } from '../../../lambda/audit/finding.js';
import type { NetworkPolicy } from '../../../lambda/audit/snapshot.js';
import { context, findingsOf, pod, policy, snapshot } from '../fixtures.js';

function evaluate(networkPolicies: NetworkPolicy[]) {
  return workloadEgressCoverageCheck.evaluate(context(snapshot({ pods: [pod('shop', 'web', { labels: { app: 'web' } })], networkPolicies })));
}

describe('workload-egress-coverage', () => {
  it('passes a pod selected by a policy with Egress in its policyTypes', () => {
    // Prepare
    const policies = [policy('shop', 'egress', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'] })];

    // Act
    const verdicts = evaluate(policies);

    // Assess
    expect(verdicts.map((v) => [v.status, v.message])).toEqual([[Status.Pass, 'Pod shop/web is isolated for Egress by NetworkPolicy shop/egress.']]);
  });

  it('passes a pod selected by a policy whose spec has egress rules but no policyTypes', () => {
    const egressRules = { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }] };

    expect(evaluate([policy('shop', 'egress-to-vpc', egressRules)]).map((v) => v.status)).toEqual([Status.Pass]);
  });

  it('fails a pod selected only by a policy with an empty egress list and no policyTypes (it isolates Ingress alone)', () => {
    expect(evaluate([policy('shop', 'deny-all', { podSelector: {}, egress: [] })]).map((v) => v.status)).toEqual([Status.Fail]);
  });

  it('fails a pod selected only by Ingress policies, naming them', () => {
    const [verdict] = evaluate([policy('shop', 'deny-ingress', { podSelector: {} })]);

    expect([verdict?.status, verdict?.message]).toEqual([
      Status.Fail,
      'Pod shop/web is not isolated for Egress. Policies in shop: deny-ingress [Ingress].',
    ]);
    expect(verdict?.remediation).toContain('name: default-deny-egress');
  });

  it('is UNKNOWN on the cluster when NetworkPolicies were not read', () => {
    const findings = findingsOf(CheckId.WorkloadEgressCoverage, snapshot({ pods: [pod('shop', 'web')] }));

    expect(findings.map((f) => [f.status, f.severity, f.message])).toEqual([[Status.Unknown, 'Low', 'Not evaluated: NetworkPolicies were not read.']]);
  });
});
