/**
 * `default-deny`: does each audited namespace deny Ingress by default? Also home of the default-deny manifest that
 * the coverage checks offer as remediation.
 */
import type { Check, CheckVerdict } from '../check.js';
import { CheckId, Status } from '../finding.js';
import { listNames } from '../findings.js';
import type { PolicyView } from '../model.js';
import { PolicyType, policyEnforcement, type Enforcement } from '../policies.js';
import { selectsEverything } from '../selectors.js';

/** A ready-to-apply NetworkPolicy that denies `direction` to every pod of `namespace`. */
export function defaultDenyManifest(namespace: string, direction: PolicyType): string {
  return [
    'apiVersion: networking.k8s.io/v1',
    'kind: NetworkPolicy',
    'metadata:',
    `  name: default-deny-${direction.toLowerCase()}`,
    `  namespace: ${namespace}`,
    'spec:',
    '  podSelector: {}',
    '  policyTypes:',
    `    - ${direction}`,
  ].join('\n');
}

/**
 * Remediation text: `lead` (why), then the default-deny manifest for `namespace` and a one-line `kubectl apply`
 * hint, with the reminder that allow policies must follow so wanted traffic keeps flowing.
 */
export function defaultDenyRemediation(namespace: string, direction: PolicyType, lead: string): string {
  const file = `default-deny-${direction.toLowerCase()}.yaml`;
  return [
    lead,
    `Save this as ${file} and apply it with \`kubectl apply -f ${file}\`, then add policies that allow the traffic each workload needs:`,
    defaultDenyManifest(namespace, direction),
  ].join('\n');
}

/**
 * True when the policy denies `direction` to every pod of its namespace: an empty podSelector, `direction` among its
 * effective policyTypes, and no rule for that direction (`podSelector: {}` with `ingress: [{}]` allows everything).
 */
export function deniesByDefault(view: PolicyView, direction: PolicyType): boolean {
  const spec = view.policy.spec;
  const rules = direction === PolicyType.Ingress ? spec?.ingress : spec?.egress;
  return selectsEverything(spec?.podSelector) && view.types.includes(direction) && (rules ?? []).length === 0;
}

function evaluateNamespace(namespace: string, views: readonly PolicyView[], enforcement: Enforcement): CheckVerdict {
  const denying = (direction: PolicyType) =>
    views.filter((view) => deniesByDefault(view, direction)).map((view) => view.name);
  const ingress = denying(PolicyType.Ingress);
  const egress = denying(PolicyType.Egress);
  const egressText =
    egress.length > 0 ? `Egress is also denied by default (${listNames(egress)}).` : 'Egress is not denied by default.';
  const note = views.length > 0 ? enforcement.note : '';
  const resource = { kind: 'Namespace', namespace: null, name: namespace };
  const evidence = {
    ingress_default_deny_policies: ingress,
    egress_default_deny_policies: egress,
    egress_denied_by_default: egress.length > 0,
    enforced: enforcement.enforced,
  };
  if (ingress.length > 0) {
    const message = `Namespace ${namespace} denies Ingress by default (${listNames(ingress)}). ${egressText}${note}`;
    return { status: Status.Pass, resource, message, evidence };
  }
  // The usual near miss: `podSelector: {}` with `ingress: [{}]` selects every pod and then allows everything.
  const allowing = views
    .filter((view) => selectsEverything(view.policy.spec?.podSelector) && view.types.includes(PolicyType.Ingress))
    .map((view) => view.name);
  const allowingText =
    allowing.length > 0 ? ` Selecting every pod but allowing Ingress by rules (not a default deny): ${listNames(allowing)}.` : '';
  return {
    status: Status.Fail,
    resource,
    message: `Namespace ${namespace} has no default-deny Ingress policy (podSelector {}, Ingress in policyTypes, no ingress rules).${allowingText} ${egressText}${note}`,
    remediation: defaultDenyRemediation(namespace, PolicyType.Ingress, `Deny Ingress by default in namespace ${namespace}.`),
    evidence,
  };
}

/** Per audited namespace: PASS when a default-deny Ingress policy exists; evidence says whether Egress is denied too. */
export const defaultDenyCheck: Check = {
  id: CheckId.DefaultDeny,
  evaluate({ model, engine }) {
    const enforcement = policyEnforcement(engine);
    return model.namespaces.map((namespace) =>
      evaluateNamespace(namespace, model.policiesByNamespace.get(namespace) ?? [], enforcement),
    );
  },
};
