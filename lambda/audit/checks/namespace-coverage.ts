/**
 * `namespace-coverage` (CIS EKS 4.3.2): does every audited namespace, with or without pods, have a NetworkPolicy?
 */
import type { Check, CheckVerdict } from '../check.js';
import { CheckId, Status } from '../finding.js';
import { LIST_LIMIT, countOf, listNames } from '../findings.js';
import type { AuditModel } from '../model.js';
import { PolicyType, policyEnforcement, type Enforcement } from '../policies.js';
import { defaultDenyRemediation } from './default-deny.js';

function evaluateNamespace(
  namespace: string,
  model: AuditModel,
  podsRead: boolean,
  { enforced, note }: Enforcement,
): CheckVerdict {
  const names = (model.policiesByNamespace.get(namespace) ?? []).map((view) => view.name);
  const running = podsRead ? (model.podsByNamespace.get(namespace) ?? []).length : null;
  const resource = { kind: 'Namespace', namespace: null, name: namespace };
  const evidence = { policies: names.slice(0, LIST_LIMIT), policy_count: names.length, running_pods: running, enforced };
  if (names.length > 0) {
    const count = countOf(names.length, 'NetworkPolicy', 'NetworkPolicies');
    return { status: Status.Pass, resource, message: `Namespace ${namespace} has ${count} (${listNames(names)}).${note}`, evidence };
  }
  const exposed =
    running === null || running === 0
      ? 'any pod started in it will accept traffic from any source'
      : `${running === 1 ? 'its running pod accepts' : `its ${running} running pods accept`} traffic from any source`;
  return {
    status: Status.Fail,
    resource,
    message: `Namespace ${namespace} has no NetworkPolicy: ${exposed}.`,
    remediation: defaultDenyRemediation(namespace, PolicyType.Ingress, `Isolate namespace ${namespace} with a default-deny policy.`),
    evidence,
  };
}

/** Per audited namespace: PASS when it has at least one NetworkPolicy; FAIL offers the default-deny manifest. */
export const namespaceCoverageCheck: Check = {
  id: CheckId.NamespaceCoverage,
  evaluate({ model, engine, snapshot }) {
    const enforcement = policyEnforcement(engine);
    const podsRead = snapshot.kube.pods !== undefined;
    return model.namespaces.map((namespace) => evaluateNamespace(namespace, model, podsRead, enforcement));
  },
};
