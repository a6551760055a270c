import { danglingPolicyCheck } from '../../../lambda/audit/checks/dangling-policy.js';
import { CheckId, Status } from '../../../lambda/audit/finding.js';
import type { NetworkPolicy, Pod } from '../../../lambda/audit/snapshot.js';
import { context, findingsOf, pod, policy, snapshot } from '../fixtures.js';

function evaluate(pods: Pod[], networkPolicies: NetworkPolicy[]) {
  return danglingPolicyCheck.evaluate(context(snapshot({ pods, networkPolicies })));
}

const selectingWeb = policy('shop', 'allow-web', { podSelector: { matchLabels: { app: 'web' } } });

describe('dangling-policy', () => {
  it('passes a policy that selects a running pod', () => {
    // Prepare
    const pods = [pod('shop', 'web-1', { labels: { app: 'web' } })];

    // Act
    const verdicts = evaluate(pods, [selectingWeb]);

    // Assess
    expect(verdicts.map((v) => [v.status, v.resource.kind, v.message])).toEqual([[Status.Pass, 'NetworkPolicy', 'NetworkPolicy shop/allow-web selects 1 running pod.']]);
  });

  it('fails a policy whose podSelector matches no pod, showing the selector', () => {
    const [verdict] = evaluate([pod('shop', 'api-1', { labels: { app: 'api' } })], [selectingWeb]);

    expect([verdict?.status, verdict?.message]).toEqual([Status.Fail, 'NetworkPolicy shop/allow-web selects no running pod (app=web): it has no effect.']);
  });

  it('does not count finished pods', () => {
    expect(evaluate([pod('shop', 'web-1', { labels: { app: 'web' }, phase: 'Succeeded' })], [selectingWeb]).map((v) => v.status)).toEqual([Status.Fail]);
  });

  it('does not count pods of other namespaces', () => {
    expect(evaluate([pod('payments', 'web-1', { labels: { app: 'web' } })], [selectingWeb]).map((v) => v.status)).toEqual([Status.Fail]);
  });

  it('does not count host-network pods, and says it matched them', () => {
    const [verdict] = evaluate([pod('shop', 'web-1', { labels: { app: 'web' }, spec: { hostNetwork: true } })], [selectingWeb]);

    expect([verdict?.status, verdict?.evidence?.host_network_matches]).toEqual([Status.Fail, 1]);
    expect(verdict?.message).toContain('Its selector matches 1 host-network pod, which no policy applies to.');
  });

  it('never fails a policy with an empty podSelector, even in a namespace without pods, nor advises deleting it', () => {
    // Prepare: a default deny selects every pod of its namespace, present or future
    const defaultDeny = policy('empty', 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });

    // Act
    const [verdict] = evaluate([pod('shop', 'web-1')], [defaultDeny]);

    // Assess
    expect([verdict?.status, verdict?.message]).toEqual([Status.Pass, 'NetworkPolicy empty/default-deny selects every pod of namespace empty, present or future (0 running pods now).']);
    expect(verdict?.remediation).toBeUndefined();
  });

  it('offers deleting only a policy whose selector matches nothing', () => {
    const [verdict] = evaluate([], [selectingWeb]);

    expect(verdict?.remediation).toBe('Fix the selector of NetworkPolicy shop/allow-web to match the labels of the pods it is meant to protect, or delete it if its workload is gone.');
  });

  it('is UNKNOWN on the cluster when Pods were not read', () => {
    const findings = findingsOf(CheckId.DanglingPolicy, snapshot({ networkPolicies: [selectingWeb] }));

    expect(findings.map((f) => [f.status, f.severity, f.resource.kind])).toEqual([[Status.Unknown, 'Informational', 'Cluster']]);
  });
});
