/**
 * `inert-policy`: is each policy enforced? A policy whose API no running engine enforces (an
 * ApplicationNetworkPolicy on a Calico cluster), every policy on a cluster without an engine, and a policy that selects
 * running pods but owns no PolicyEndpoint (the VPC CNI's controller did not program it) only look like protection.
 */
import type { Check } from '../check.js';
import { CheckId, Status } from '../finding.js';
import { Enforcement, type PolicyView } from '../isolation/policy-api.js';
import type { CheckVerdict } from '../verdict.js';

const STATUS_OF = { [Enforcement.Enforced]: Status.Pass, [Enforcement.Inert]: Status.Fail, [Enforcement.Unknown]: Status.Unknown } as const;

function evaluatePolicy(view: PolicyView): CheckVerdict {
  const status = STATUS_OF[view.enforcement];
  const evidence = { enforcement: view.enforcement, reason: view.enforcementReason, enforced_by: view.api.enforcedBy ?? 'any engine' };
  const message =
    view.enforcement === Enforcement.Enforced
      ? `${view.title} is ${view.enforcementReason}.`
      : view.enforcement === Enforcement.Inert
        ? `${view.title} is inert: ${view.enforcementReason}.`
        : `Whether ${view.title} is enforced is unknown: ${view.enforcementReason}.`;
  return { status, resource: view.resource, message, evidence };
}

/** Per policy of every API: PASS when an engine that runs enforces it (and, where PolicyEndpoints were read, programmed it). */
export const inertPolicyCheck: Check = {
  id: CheckId.InertPolicy,
  evaluate({ model }) {
    return model.policies.map(evaluatePolicy);
  },
};
