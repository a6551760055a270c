/**
 * Property: for clusters whose only policies are core NetworkPolicies, the model's per-pod, per-direction answer
 * equals a plain formulation of Kubernetes' rule — a pod is isolated for a direction iff some NetworkPolicy of its
 * namespace selects it (matchLabels and matchExpressions, ANDed) and lists that direction in its policyTypes, as the
 * API server defaults them (Ingress, plus Egress when the policy has egress rules).
 */
import fc from 'fast-check';
import { EngineName } from '../../../lambda/audit/engines/engine-verdict.js';
import { Status } from '../../../lambda/audit/finding.js';
import type { LabelSelector, LabelSelectorRequirement, NetworkPolicy, Pod } from '../../../lambda/audit/snapshot.js';
import { context, engine, pod, snapshot } from '../fixtures.js';

const NAMESPACES = ['shop', 'payments'] as const;
const key = fc.constantFrom('app', 'tier', 'team');
const value = fc.constantFrom('web', 'db', 'a', 'b');
const labels = fc.dictionary(key, value, { maxKeys: 3 });
const requirement: fc.Arbitrary<LabelSelectorRequirement> = fc.oneof(
  fc.record({ key, operator: fc.constantFrom('In', 'NotIn'), values: fc.uniqueArray(value, { minLength: 1, maxLength: 2 }) }),
  fc.record({ key, operator: fc.constantFrom('Exists', 'DoesNotExist') }),
);
const selector: fc.Arbitrary<LabelSelector> = fc.record(
  { matchLabels: fc.dictionary(key, value, { maxKeys: 2 }), matchExpressions: fc.array(requirement, { maxLength: 2 }) },
  { requiredKeys: [] },
);
const policySpec = fc.record(
  {
    podSelector: selector,
    policyTypes: fc.subarray(['Ingress', 'Egress']),
    ingress: fc.array(fc.constant({}), { maxLength: 1 }),
    egress: fc.array(fc.constant({}), { maxLength: 1 }),
  },
  { requiredKeys: ['podSelector'] },
);
const cluster = fc.record({
  pods: fc.array(fc.record({ namespace: fc.constantFrom(...NAMESPACES), labels }), { minLength: 1, maxLength: 6 }),
  policies: fc.array(fc.record({ namespace: fc.constantFrom(...NAMESPACES), spec: policySpec }), { maxLength: 4 }),
});

/** The reference: Kubernetes' selector and defaulting rules written out plainly, independent of the audit's code. */
function referenceIsolated(target: Pod, policies: readonly NetworkPolicy[], direction: 'Ingress' | 'Egress'): boolean {
  const podLabels = target.metadata.labels ?? {};
  const has = (k: string) => Object.prototype.hasOwnProperty.call(podLabels, k);
  const meets = ({ key: k, operator, values = [] }: LabelSelectorRequirement) =>
    operator === 'In' ? has(k) && values.includes(podLabels[k]!) :
    operator === 'NotIn' ? !(has(k) && values.includes(podLabels[k]!)) :
    operator === 'Exists' ? has(k) : !has(k);
  return policies.some((policy) => {
    const spec = policy.spec ?? {};
    const sel = spec.podSelector ?? {};
    const selects =
      policy.metadata.namespace === target.metadata.namespace &&
      Object.entries(sel.matchLabels ?? {}).every(([k, v]) => podLabels[k] === v) &&
      (sel.matchExpressions ?? []).every(meets);
    const listed = spec.policyTypes ?? [];
    const types = listed.length > 0 ? listed : ['Ingress', ...((spec.egress ?? []).length > 0 ? ['Egress'] : [])];
    return selects && types.includes(direction);
  });
}

describe('the isolation model on core NetworkPolicy', () => {
  it('answers, per pod and direction, what the reference formulation of Kubernetes answers', () => {
    fc.assert(
      fc.property(cluster, ({ pods, policies }) => {
        // Prepare
        const podObjects = pods.map((p, index) => pod(p.namespace, `p-${index}`, { labels: p.labels }));
        const policyObjects: NetworkPolicy[] = policies.map((p, index) => ({ kind: 'NetworkPolicy', metadata: { name: `np-${index}`, namespace: p.namespace }, spec: p.spec }));

        // Act
        const { model } = context(snapshot({ pods: podObjects, networkPolicies: policyObjects }), engine(Status.Pass, [EngineName.Calico]));

        // Assess
        for (const target of podObjects) {
          for (const direction of ['Ingress', 'Egress'] as const) {
            expect(model.isolation.get(target)?.[direction].isolated).toBe(referenceIsolated(target, policyObjects, direction));
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
