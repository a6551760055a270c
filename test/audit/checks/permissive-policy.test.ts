import { permissivePolicyCheck } from '../../../lambda/audit/checks/permissive-policy.js';
import { CheckId, Status } from '../../../lambda/audit/finding.js';
import type { NetworkPolicy } from '../../../lambda/audit/snapshot.js';
import { context, findingsOf, policy, snapshot } from '../fixtures.js';

function evaluate(networkPolicies: NetworkPolicy[]) {
  return permissivePolicyCheck.evaluate(context(snapshot({ pods: [], networkPolicies })));
}

describe('permissive-policy', () => {
  it('fails a rule without from, naming the rule and its ports', () => {
    // Prepare
    const allowAll = policy('shop', 'allow-web', {
      podSelector: { matchLabels: { app: 'web' } },
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'lb' } } }] }, { ports: [{ protocol: 'TCP', port: 8080 }] }],
    });

    // Act
    const [verdict] = evaluate([allowAll]);

    // Assess
    expect(verdict?.status).toBe(Status.Fail);
    expect(verdict?.resource).toEqual({ kind: 'NetworkPolicy', namespace: 'shop', name: 'allow-web' });
    expect(verdict?.message).toBe(
      'NetworkPolicy shop/allow-web admits all traffic from everywhere on TCP/8080 to the pods it selects (app=web): spec.ingress[1] (no "from": every source is allowed; ports TCP/8080).',
    );
  });

  it('lists every offending rule in evidence and the message', () => {
    const spec = { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }, { from: [{ podSelector: {} }] }, { from: [{ namespaceSelector: {} }] }] };

    const [verdict] = evaluate([policy('edge', 'open', spec)]);

    expect((verdict?.evidence?.offending_rules as Array<{ rule: string }>).map((rule) => rule.rule)).toEqual(['spec.ingress[0]', 'spec.ingress[2]']);
    expect(verdict?.message).toContain('spec.ingress[0] (from[0] is ipBlock 0.0.0.0/0: every address is allowed; every port); spec.ingress[2]');
  });

  it('passes a policy whose rules all restrict their sources', () => {
    const spec = { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'shop' } } }, { ipBlock: { cidr: '10.0.0.0/8' } }] }] };

    expect(evaluate([policy('shop', 'restricted', spec)]).map((v) => [v.status, v.message])).toEqual([
      [Status.Pass, 'NetworkPolicy shop/restricted has no rule that admits all traffic from everywhere or from every namespace.'],
    ]);
  });

  it('passes a default-deny policy (no ingress rules)', () => {
    expect(evaluate([policy('shop', 'deny', { podSelector: {}, policyTypes: ['Ingress'] })]).map((v) => v.status)).toEqual([Status.Pass]);
  });

  it('ignores ingress rules of a policy whose effective types lack Ingress', () => {
    expect(evaluate([policy('shop', 'egress', { podSelector: {}, policyTypes: ['Egress'], ingress: [{}] })]).map((v) => v.status)).toEqual([Status.Pass]);
  });

  it('reports nothing on policies of excluded namespaces', () => {
    expect(evaluate([policy('kube-system', 'open', { podSelector: {}, ingress: [{}] })])).toEqual([]);
  });

  it('is UNKNOWN on the cluster when NetworkPolicies were not read', () => {
    const findings = findingsOf(CheckId.PermissivePolicy, snapshot({ pods: [] }));

    expect(findings.map((f) => [f.status, f.resource.kind])).toEqual([[Status.Unknown, 'Cluster']]);
  });
});
