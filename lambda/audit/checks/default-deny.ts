/**
 * `default-deny`: does each audited namespace deny Ingress by default? Also home of the default-deny manifest that
 * the coverage checks offer as remediation.
 */
import type { Check } from '../check.js';
import { CheckId, Status } from '../finding.js';
import { listNames } from '../findings.js';
import { PolicyType } from '../isolation/direction.js';
import type { AuditModel } from '../model.js';
import type { CheckVerdict } from '../verdict.js';
import { engineNote, type EngineNote } from './engine-note.js';
import { NODE_CLASS_CAVEAT, UNSURE_REMEDIATION, sentence } from './isolation-wording.js';

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

function evaluateNamespace(namespace: string, model: AuditModel, { enforced, note }: EngineNote): CheckVerdict {
  const views = model.policiesByNamespace.get(namespace) ?? [];
  const isolation = model.namespaceIsolation.get(namespace);
  const ingress = isolation?.Ingress;
  const egress = isolation?.Egress;
  const egressText =
    egress !== undefined && egress.deniedByDefault.length > 0
      ? `Egress is also denied by default (${listNames(egress.deniedByDefault)}).`
      : 'Egress is not denied by default.';
  const policiesNote = views.length > 0 ? note : '';
  const resource = { kind: 'Namespace', namespace: null, name: namespace };
  const evidence = {
    ingress_default_deny_policies: ingress?.defaultDenyPolicies ?? [],
    egress_default_deny_policies: egress?.defaultDenyPolicies ?? [],
    ingress_denied_by_default: ingress?.deniedByDefault ?? [],
    egress_denied_by_default: (egress?.deniedByDefault.length ?? 0) > 0,
    ...(ingress?.open ? { opened_by: ingress.open } : {}),
    enforced,
  };
  if (ingress !== undefined && ingress.deniedByDefault.length > 0) {
    const message = `Namespace ${namespace} denies Ingress by default (${listNames(ingress.deniedByDefault)}). ${egressText}${policiesNote}`;
    return { status: Status.Pass, resource, message, evidence };
  }
  if (ingress?.defaultDenyUnknown !== undefined) {
    return {
      status: Status.Unknown,
      resource,
      message: `Cannot tell whether namespace ${namespace} denies Ingress by default: ${ingress.defaultDenyUnknown}. ${egressText}${policiesNote}`,
      remediation: UNSURE_REMEDIATION,
      evidence: { ...evidence, unknown_because: ingress.defaultDenyUnknown },
    };
  }
  // The usual near miss: `podSelector: {}` with `ingress: [{}]` selects every pod and then allows everything.
  const allowing = views
    .filter((view) => view.counts && view.subject.everyPod && view.isolates.includes(PolicyType.Ingress))
    .map((view) => view.name);
  const allowingText =
    allowing.length > 0 ? ` Selecting every pod but allowing Ingress by rules (not a default deny): ${listNames(allowing)}.` : '';
  const openedText = ingress?.open ? ` ${sentence(ingress.open)}` : '';
  const podsOnly = ingress?.runningPodsOnly ?? [];
  const podsOnlyText = podsOnly.length > 0 ? ` Its running pods are isolated for Ingress (${listNames(podsOnly)}), but ${NODE_CLASS_CAVEAT}.` : '';
  return {
    status: Status.Fail,
    resource,
    message: `Namespace ${namespace} has no default-deny Ingress policy (podSelector {}, Ingress in policyTypes, no ingress rules).${openedText}${podsOnlyText}${allowingText} ${egressText}${policiesNote}`,
    remediation: defaultDenyRemediation(namespace, PolicyType.Ingress, `Deny Ingress by default in namespace ${namespace}.`),
    evidence: { ...evidence, ...(podsOnly.length > 0 ? { running_pods_denied_by_default: podsOnly } : {}) },
  };
}

/**
 * Per audited namespace: PASS when Ingress is denied by default (a default-deny policy, a Baseline deny-all, strict
 * mode); evidence says whether Egress is denied too.
 */
export const defaultDenyCheck: Check = {
  id: CheckId.DefaultDeny,
  evaluate({ model, engine }) {
    const note = engineNote(engine);
    return model.namespaces.map((namespace) => evaluateNamespace(namespace, model, note));
  },
};
