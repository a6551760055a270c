/**
 * `permissive-policy`: does a policy admit all traffic of a wide class (from everywhere, or from every pod of every
 * namespace) to the pods it selects? Such a rule turns the isolation the policy creates back off, usually by accident
 * (`ingress: [{}]`, `0.0.0.0/0`); an Admin-tier accept-all overrides every namespace policy, hence Medium.
 */
import type { Check } from '../check.js';
import { CheckId, Status } from '../finding.js';
import { distinct } from '../engines/wording.js';
import type { PermissiveRule, PolicyView } from '../isolation/policy-api.js';
import type { CheckVerdict } from '../verdict.js';

function describeRule({ rule, reason, ports }: PermissiveRule): string {
  return `${rule} (${reason}; ${ports.length > 0 ? `ports ${ports.join(', ')}` : 'every port'})`;
}

/** What the rules admit, with the port limit when every rule has one. */
function describeAdmitted(rules: readonly PermissiveRule[]): string {
  const admitted = distinct(rules.map((rule) => rule.admits)).join(' and ');
  const limited = rules.every((rule) => rule.ports.length > 0);
  return limited ? `${admitted} on ${distinct(rules.flatMap((rule) => rule.ports)).join(', ')}` : admitted;
}

function evaluatePolicy(view: PolicyView): CheckVerdict {
  const rules = view.permissive;
  const evidence = { pod_selector: view.subject.description, ...view.evidence, offending_rules: rules };
  if (rules.length === 0) {
    const message = `${view.title} has no rule that admits all traffic from everywhere or from every namespace.`;
    return { status: Status.Pass, resource: view.resource, message, evidence };
  }
  const graver = rules.find((rule) => rule.severity !== undefined)?.severity;
  return {
    status: Status.Fail,
    resource: view.resource,
    message: `${view.title} admits ${describeAdmitted(rules)} to the pods it selects (${view.subject.description}): ${rules.map(describeRule).join('; ')}.`,
    remediation: `Restrict ${rules.map((rule) => rule.rule).join(', ')} of ${view.title} with peers that name only the pods, namespaces or address ranges that need access, or remove the rule.`,
    ...(graver ? { severity: graver } : {}),
    evidence,
  };
}

/** Per policy of every API: FAIL names each rule that admits a wide class of traffic, what it admits and why. */
export const permissivePolicyCheck: Check = {
  id: CheckId.PermissivePolicy,
  evaluate({ model }) {
    return model.policies.map(evaluatePolicy);
  },
};
