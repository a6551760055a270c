import { namespaceCoverageCheck } from '../../../lambda/audit/checks/namespace-coverage.js';
import { CheckId, Status } from '../../../lambda/audit/finding.js';
import { context, engine, findingsOf, namespace, pod, policy, snapshot } from '../fixtures.js';

describe('namespace-coverage', () => {
  it('passes a namespace with a NetworkPolicy and names it', () => {
    // Prepare
    const snap = snapshot({ namespaces: [namespace('shop')], pods: [], networkPolicies: [policy('shop', 'allow-web')] });

    // Act
    const verdicts = namespaceCoverageCheck.evaluate(context(snap));

    // Assess
    expect(verdicts).toEqual([
      expect.objectContaining({
        status: Status.Pass,
        resource: { kind: 'Namespace', namespace: null, name: 'shop' },
        message: 'Namespace shop is isolated for Ingress by NetworkPolicy shop/allow-web.',
        evidence: expect.objectContaining({ policies: ['allow-web'], enforced: true }),
      }),
    ]);
  });

  it('fails a namespace without policy and offers the default-deny manifest naming it', () => {
    const snap = snapshot({ namespaces: [namespace('shop')], pods: [pod('shop', 'a'), pod('shop', 'b')], networkPolicies: [] });

    const [verdict] = namespaceCoverageCheck.evaluate(context(snap));

    expect(verdict?.status).toBe(Status.Fail);
    expect(verdict?.message).toBe('Namespace shop is not isolated: it has no policy; its 2 running pods accept traffic from any source.');
    expect(verdict?.remediation).toContain('kubectl apply -f default-deny-ingress.yaml');
    expect(verdict?.remediation).toContain(
      ['kind: NetworkPolicy', 'metadata:', '  name: default-deny-ingress', '  namespace: shop', 'spec:', '  podSelector: {}', '  policyTypes:', '    - Ingress'].join('\n'),
    );
  });

  it('fails a namespace without pods too', () => {
    const snap = snapshot({ namespaces: [namespace('empty')], pods: [], networkPolicies: [policy('shop', 'x')] });

    const verdicts = namespaceCoverageCheck.evaluate(context(snap));

    expect(verdicts.map((v) => [v.resource.name, v.status, v.message])).toEqual([
      ['empty', Status.Fail, 'Namespace empty is not isolated: it has no policy; any pod started in it will accept traffic from any source.'],
    ]);
  });

  it('does not count a policy of another namespace', () => {
    const snap = snapshot({ namespaces: [namespace('shop'), namespace('payments')], pods: [], networkPolicies: [policy('payments', 'deny')] });

    const verdicts = namespaceCoverageCheck.evaluate(context(snap));

    expect(verdicts.map((v) => [v.resource.name, v.status])).toEqual([['payments', Status.Pass], ['shop', Status.Fail]]);
  });

  it('reports nothing on excluded namespaces', () => {
    const snap = snapshot({ namespaces: [namespace('kube-system'), namespace('shop')], pods: [], networkPolicies: [] });

    expect(namespaceCoverageCheck.evaluate(context(snap)).map((v) => v.resource.name)).toEqual(['shop']);
  });

  it('says a passing namespace is not protected when no engine enforces policies', () => {
    const snap = snapshot({ namespaces: [namespace('shop')], pods: [], networkPolicies: [policy('shop', 'deny')] });

    const [verdict] = namespaceCoverageCheck.evaluate(context(snap, engine(Status.Fail)));

    expect([verdict?.status, verdict?.message, verdict?.evidence?.enforced]).toEqual([Status.Pass, expect.stringContaining('they are inert'), false]);
  });

  it('is UNKNOWN with the collection problem when NetworkPolicies could not be listed', () => {
    const snap = snapshot(
      { namespaces: [namespace('shop')], pods: [] },
      { problems: [{ kind: 'networkPolicies', reason: '403: cannot list networkpolicies at cluster scope' }] },
    );

    const findings = findingsOf(CheckId.NamespaceCoverage, snap);

    expect(findings.map((f) => [f.status, f.resource.kind, f.message])).toEqual([
      [Status.Unknown, 'Cluster', 'Not evaluated: NetworkPolicies were not read (403: cannot list networkpolicies at cluster scope).'],
    ]);
  });
});
