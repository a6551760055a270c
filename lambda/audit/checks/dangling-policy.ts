/**
 * `dangling-policy`: does a NetworkPolicy select any running pod? One that selects none protects nothing, often
 * because its workload was renamed or removed, and misleads a reader of the policy set.
 */
import type { Check, CheckVerdict } from '../check.js';
import { CheckId, Status } from '../finding.js';
import { countOf } from '../findings.js';
import { policyResource, type PolicyView } from '../model.js';
import { describeSelector } from '../selectors.js';

function evaluatePolicy(view: PolicyView): CheckVerdict {
  const podSelector = describeSelector(view.policy.spec?.podSelector);
  const selected = view.selected.length;
  const evidence = { pod_selector: podSelector, selected_pods: selected, host_network_matches: view.hostNetworkMatches };
  const subject = `NetworkPolicy ${view.namespace}/${view.name}`;
  if (selected > 0) {
    const message = `${subject} selects ${countOf(selected, 'running pod')}.`;
    return { status: Status.Pass, resource: policyResource(view), message, evidence };
  }
  const hostNetwork =
    view.hostNetworkMatches > 0
      ? ` Its podSelector matches ${countOf(view.hostNetworkMatches, 'host-network pod')}, which no NetworkPolicy applies to.`
      : '';
  return {
    status: Status.Fail,
    resource: policyResource(view),
    message: `${subject} selects no running pod (podSelector ${podSelector}): it has no effect.${hostNetwork}`,
    evidence,
  };
}

/** Per NetworkPolicy of an audited namespace: PASS when it selects at least one running, non-host-network pod. */
export const danglingPolicyCheck: Check = {
  id: CheckId.DanglingPolicy,
  evaluate({ model }) {
    return model.policies.map(evaluatePolicy);
  },
};
