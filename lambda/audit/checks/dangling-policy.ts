/**
 * `dangling-policy`: does a policy select any running pod? One that selects none protects nothing, often because its
 * workload was renamed or removed, and misleads a reader of the policy set. A policy that selects every pod of its
 * namespaces (an empty podSelector: a default deny, for pods present or future) never fails.
 */
import type { Check } from '../check.js';
import { CheckId, Status } from '../finding.js';
import { countOf } from '../findings.js';
import type { PolicyView } from '../isolation/policy-api.js';
import type { CheckVerdict } from '../verdict.js';
import { unreadableVerdict } from './isolation-wording.js';

function evaluatePolicy(view: PolicyView): CheckVerdict {
  const selected = view.selected.length;
  if (view.unreadable !== undefined) return unreadableVerdict(view);
  const evidence = { pod_selector: view.subject.description, selected_pods: selected, host_network_matches: view.hostNetworkMatches };
  const { subject } = view;
  if (subject.everyPod && (subject.namespace !== null || subject.everyNamespace)) {
    const where = subject.namespace === null ? 'every namespace' : `namespace ${subject.namespace}`;
    const message = `${view.title} selects every pod of ${where}, present or future (${countOf(selected, 'running pod')} now).`;
    return { status: Status.Pass, resource: view.resource, message, evidence };
  }
  if (subject.nodes !== undefined) {
    const message = `${view.title} is a host firewall policy: it applies to ${subject.nodes}, not to pods, so it isolates no pod.`;
    return { status: Status.Pass, resource: view.resource, message, evidence: { ...evidence, host_firewall: true } };
  }
  if (selected > 0) {
    return { status: Status.Pass, resource: view.resource, message: `${view.title} selects ${countOf(selected, 'running pod')}.`, evidence };
  }
  const hostNetwork =
    view.hostNetworkMatches > 0
      ? ` Its selector matches ${countOf(view.hostNetworkMatches, 'host-network pod')}, which no policy applies to.`
      : '';
  return {
    status: Status.Fail,
    resource: view.resource,
    message: `${view.title} selects no running pod (${subject.description}): it has no effect.${hostNetwork}`,
    remediation: `Fix the selector of ${view.title} to match the labels of the pods it is meant to protect, or delete it if its workload is gone.`,
    evidence,
  };
}

/** Per policy of every API: PASS when it selects a running, non-host-network pod, or every pod of its namespaces. */
export const danglingPolicyCheck: Check = {
  id: CheckId.DanglingPolicy,
  evaluate({ model }) {
    return model.policies.map(evaluatePolicy);
  },
};
