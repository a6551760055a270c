/**
 * `permissive-policy`: does a NetworkPolicy admit all traffic from everywhere to the pods it selects? Such a rule
 * turns the isolation the policy creates back off, usually by accident (`ingress: [{}]`, `0.0.0.0/0`).
 */
import type { Check, CheckVerdict } from '../check.js';
import { CheckId, Status } from '../finding.js';
import { policyResource, type PolicyView } from '../model.js';
import { permissiveIngressRules, type PermissiveRule } from '../policies.js';
import { describeSelector } from '../selectors.js';

function describeRule({ rule, reason, ports }: PermissiveRule): string {
  return `${rule} (${reason}; ${ports.length > 0 ? `ports ${ports.join(', ')}` : 'every port'})`;
}

function evaluatePolicy(view: PolicyView): CheckVerdict {
  const rules = permissiveIngressRules(view.policy);
  const podSelector = describeSelector(view.policy.spec?.podSelector);
  const evidence = { pod_selector: podSelector, policy_types: view.types, offending_rules: rules };
  const subject = `NetworkPolicy ${view.namespace}/${view.name}`;
  if (rules.length === 0) {
    const message = `${subject} has no ingress rule that admits all traffic from everywhere.`;
    return { status: Status.Pass, resource: policyResource(view), message, evidence };
  }
  return {
    status: Status.Fail,
    resource: policyResource(view),
    message: `${subject} admits all traffic from everywhere to the pods it selects (${podSelector}): ${rules.map(describeRule).join('; ')}.`,
    remediation: `Restrict ${rules.map((rule) => rule.rule).join(', ')} of ${subject} with a "from" that names only the pods (podSelector), namespaces (namespaceSelector) or address ranges (ipBlock) that need access, or remove the rule.`,
    evidence,
  };
}

/** Per NetworkPolicy of an audited namespace: FAIL names each ingress rule that admits everything, and why. */
export const permissivePolicyCheck: Check = {
  id: CheckId.PermissivePolicy,
  evaluate({ model }) {
    return model.policies.map(evaluatePolicy);
  },
};
