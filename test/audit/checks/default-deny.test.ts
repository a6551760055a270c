import { parse } from 'yaml';
import { defaultDenyCheck, defaultDenyManifest } from '../../../lambda/audit/checks/default-deny.js';
import { CheckId, Status } from '../../../lambda/audit/finding.js';
import type { NetworkPolicy } from '../../../lambda/audit/snapshot.js';
import { context, findingsOf, namespace, policy, snapshot } from '../fixtures.js';

function evaluate(networkPolicies: NetworkPolicy[]) {
  return defaultDenyCheck.evaluate(context(snapshot({ namespaces: [namespace('shop')], pods: [], networkPolicies })));
}

describe('default-deny', () => {
  it('passes with an empty podSelector isolating Ingress without ingress rules, and says Egress is not denied', () => {
    // Prepare
    const policies = [policy('shop', 'default-deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] })];

    // Act
    const [verdict] = evaluate(policies);

    // Assess
    expect([verdict?.status, verdict?.message]).toEqual([
      Status.Pass,
      'Namespace shop denies Ingress by default (denied by default by NetworkPolicy shop/default-deny-ingress). Egress is not denied by default.',
    ]);
    expect(verdict?.evidence).toEqual(expect.objectContaining({ egress_denied_by_default: false }));
  });

  it('says when Egress is denied by default too', () => {
    const [verdict] = evaluate([policy('shop', 'deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [], egress: [] })]);

    expect([verdict?.status, verdict?.evidence?.egress_denied_by_default, verdict?.evidence?.egress_default_deny_policies]).toEqual([Status.Pass, true, ['deny-all']]);
  });

  it('fails an allow-all policy (podSelector {} with ingress [{}]) and names it as not a default deny', () => {
    const [verdict] = evaluate([policy('shop', 'allow-all', { podSelector: {}, ingress: [{}] })]);

    expect(verdict?.status).toBe(Status.Fail);
    expect(verdict?.message).toContain('Selecting every pod but allowing Ingress by rules (not a default deny): allow-all.');
  });

  it('fails when the only empty-selector policy isolates Egress alone', () => {
    expect(evaluate([policy('shop', 'deny-egress', { podSelector: {}, policyTypes: ['Egress'] })]).map((v) => v.status)).toEqual([Status.Fail]);
  });

  it('fails when the deny policy selects only some pods', () => {
    expect(evaluate([policy('shop', 'deny-web', { podSelector: { matchLabels: { app: 'web' } } })]).map((v) => v.status)).toEqual([Status.Fail]);
  });

  it('counts an egress-only spec without policyTypes as denying Ingress (it isolates Ingress with no rules)', () => {
    expect(evaluate([policy('shop', 'egress-rules', { podSelector: {}, egress: [{ to: [{ podSelector: {} }] }] })]).map((v) => v.status)).toEqual([Status.Pass]);
  });

  it('offers the manifest on FAIL', () => {
    const [verdict] = evaluate([]);

    expect(verdict?.remediation).toContain(defaultDenyManifest('shop', 'Ingress'));
  });

  it('is UNKNOWN on the cluster when Namespaces were not read', () => {
    const findings = findingsOf(CheckId.DefaultDeny, snapshot({ pods: [], networkPolicies: [] }));

    expect(findings.map((f) => [f.status, f.resource.kind])).toEqual([[Status.Unknown, 'Cluster']]);
  });
});

describe('defaultDenyManifest', () => {
  it('is valid YAML for a NetworkPolicy that selects every pod of the namespace and isolates one direction', () => {
    const manifest = parse(defaultDenyManifest('payments', 'Egress'));

    expect(manifest).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'default-deny-egress', namespace: 'payments' },
      spec: { podSelector: {}, policyTypes: ['Egress'] },
    });
  });
});
