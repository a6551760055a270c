import { workloadCoverageCheck } from '../../../lambda/audit/checks/workload-coverage.js';
import { CheckId, Status } from '../../../lambda/audit/finding.js';
import type { NetworkPolicy, Pod } from '../../../lambda/audit/snapshot.js';
import { context, engine, findingsOf, job, namespace, ownedBy, pod, policy, replicaSet, snapshot } from '../fixtures.js';

const cartPod = (name: string, labels: Record<string, string> = { app: 'cart' }) =>
  pod('shop', name, { labels, owner: ownedBy('ReplicaSet', 'cart-7d9f') });
const CART_RS = replicaSet('shop', 'cart-7d9f', ownedBy('Deployment', 'cart'));

function evaluate(pods: Pod[], networkPolicies: NetworkPolicy[], extra: Parameters<typeof snapshot>[0] = {}) {
  return workloadCoverageCheck.evaluate(context(snapshot({ pods, networkPolicies, replicaSets: [CART_RS], jobs: [], ...extra })));
}

describe('workload-coverage', () => {
  it('passes a Deployment whose every pod an Ingress policy selects', () => {
    // Prepare
    const pods = [cartPod('cart-1'), cartPod('cart-2')];
    const policies = [policy('shop', 'allow-cart', { podSelector: { matchLabels: { app: 'cart' } } })];

    // Act
    const verdicts = evaluate(pods, policies);

    // Assess
    expect(verdicts).toEqual([
      expect.objectContaining({
        status: Status.Pass,
        resource: { kind: 'Deployment', namespace: 'shop', name: 'cart' },
        message: 'All 2 pods of Deployment shop/cart are isolated for Ingress by NetworkPolicy shop/allow-cart.',
      }),
    ]);
  });

  it('fails naming the uncovered pods and the policies of the namespace', () => {
    // A rollout: the new pods carry a label the policy does not expect.
    const pods = [cartPod('cart-1'), cartPod('cart-2', { app: 'cart-v2' }), cartPod('cart-3', { app: 'cart-v2' })];
    const policies = [policy('shop', 'allow-cart', { podSelector: { matchLabels: { app: 'cart' } } }), policy('shop', 'egress', { podSelector: {}, policyTypes: ['Egress'] })];

    const [verdict] = evaluate(pods, policies);

    expect(verdict?.status).toBe(Status.Fail);
    expect(verdict?.message).toBe(
      '2 of 3 pods of Deployment shop/cart are not isolated for Ingress: cart-2, cart-3. Policies in shop: allow-cart [Ingress], egress [Egress].',
    );
    expect(verdict?.evidence).toEqual(expect.objectContaining({ uncovered_pods: ['cart-2', 'cart-3'], uncovered_count: 2, selecting_policies: ['allow-cart'] }));
  });

  it('caps the uncovered pods in evidence at 20 plus a count', () => {
    const pods = Array.from({ length: 25 }, (_, i) => cartPod(`cart-${String(i).padStart(2, '0')}`));

    const [verdict] = evaluate(pods, []);

    expect([verdict?.evidence?.uncovered_pods, verdict?.evidence?.uncovered_count]).toEqual([pods.slice(0, 20).map((p) => p.metadata.name), 25]);
    expect(verdict?.message).toContain('cart-19 and 5 more. Namespace shop has no policy.');
  });

  it('does not cover Ingress with an Egress-only policyTypes', () => {
    const policies = [policy('shop', 'egress-only', { podSelector: {}, policyTypes: ['Egress'], ingress: [{}] })];

    expect(evaluate([cartPod('cart-1')], policies).map((v) => v.status)).toEqual([Status.Fail]);
  });

  it('covers Ingress with an egress-only spec that has no policyTypes', () => {
    const policies = [policy('shop', 'egress-rules', { podSelector: {}, egress: [{ to: [{ podSelector: {} }] }] })];

    expect(evaluate([cartPod('cart-1')], policies).map((v) => v.status)).toEqual([Status.Pass]);
  });

  it('covers with an empty podSelector', () => {
    expect(evaluate([cartPod('cart-1', {})], [policy('shop', 'deny', { podSelector: {} })]).map((v) => v.status)).toEqual([Status.Pass]);
  });

  it('covers pods lacking the key with NotIn and DoesNotExist selectors', () => {
    const policies = [
      policy('shop', 'not-legacy', { podSelector: { matchExpressions: [{ key: 'legacy', operator: 'DoesNotExist' }] } }),
      policy('shop', 'not-canary', { podSelector: { matchExpressions: [{ key: 'track', operator: 'NotIn', values: ['canary'] }] } }),
    ];

    const [verdict] = evaluate([cartPod('cart-1')], policies);

    expect([verdict?.status, verdict?.evidence?.selecting_policies]).toEqual([Status.Pass, ['not-canary', 'not-legacy']]);
  });

  it('is not covered by a policy of another namespace', () => {
    expect(evaluate([cartPod('cart-1')], [policy('payments', 'deny')]).map((v) => v.status)).toEqual([Status.Fail]);
  });

  it('ignores finished pods: a CronJob whose only failed pod is uncovered gives no verdict', () => {
    const pods = [pod('batch', 'report-1-x', { owner: ownedBy('Job', 'report-1'), phase: 'Failed' })];

    expect(evaluate(pods, [], { jobs: [job('batch', 'report-1', ownedBy('CronJob', 'report'))] })).toEqual([]);
  });

  it('judges CronJob pods under the CronJob, and a bare pod as itself', () => {
    const pods = [pod('batch', 'report-1-x', { owner: ownedBy('Job', 'report-1') }), pod('batch', 'debug')];

    const verdicts = evaluate(pods, [], { jobs: [job('batch', 'report-1', ownedBy('CronJob', 'report'))] });

    expect(verdicts.map((v) => [`${v.resource.kind} ${v.resource.name}`, v.message])).toEqual([
      ['Pod debug', 'Pod batch/debug is not isolated for Ingress. Namespace batch has no policy.'],
      ['CronJob report', 'The pod of CronJob batch/report is not isolated for Ingress: report-1-x. Namespace batch has no policy.'],
    ]);
  });

  it('leaves host-network pods to unenforceable-workload: a host-network DaemonSet gets no coverage verdict', () => {
    const pods = [pod('mon', 'exporter-1', { owner: ownedBy('DaemonSet', 'exporter'), spec: { hostNetwork: true } })];

    expect(evaluate(pods, [])).toEqual([]);
  });

  it('judges only the pods outside the host network of a mixed workload', () => {
    const pods = [pod('mon', 'agent-1', { owner: ownedBy('DaemonSet', 'agent'), spec: { hostNetwork: true } }), pod('mon', 'agent-2', { owner: ownedBy('DaemonSet', 'agent') })];

    const [verdict] = evaluate(pods, [policy('mon', 'deny')]);

    expect([verdict?.status, verdict?.evidence?.running_pods, verdict?.evidence?.host_network_pods]).toEqual([Status.Pass, 1, 1]);
  });

  it('reports nothing on excluded namespaces', () => {
    expect(evaluate([pod('kube-system', 'coredns')], [])).toEqual([]);
  });

  it('says in evidence and message that covered pods are not protected when no engine enforces policies', () => {
    const snap = snapshot({ pods: [cartPod('cart-1')], networkPolicies: [policy('shop', 'deny')], replicaSets: [CART_RS] });

    const [verdict] = workloadCoverageCheck.evaluate(context(snap, engine(Status.Fail)));

    expect([verdict?.status, verdict?.evidence?.enforced, verdict?.message]).toEqual([Status.Pass, false, expect.stringContaining('they are inert')]);
  });

  it('says in evidence when the owning Deployment could not be resolved', () => {
    const snap = snapshot({ pods: [cartPod('cart-1')], networkPolicies: [] });

    const [verdict] = workloadCoverageCheck.evaluate(context(snap));

    expect([verdict?.resource.kind, verdict?.evidence?.owner_resolution]).toEqual(['ReplicaSet', ['ReplicaSets were not read: stopped at ReplicaSet cart-7d9f']]);
  });

  it('is UNKNOWN on the cluster when Pods were not read', () => {
    const snap = snapshot({ namespaces: [namespace('shop')], networkPolicies: [] });

    expect(findingsOf(CheckId.WorkloadCoverage, snap).map((f) => [f.status, f.resource.kind, f.message])).toEqual([
      [Status.Unknown, 'Cluster', 'Not evaluated: Pods were not read.'],
    ]);
  });
});
