/**
 * `workload-coverage`: is every running pod of each workload selected for Ingress by a NetworkPolicy of its
 * namespace? The same judgement for Egress (`workload-egress-coverage`) is built by the same {@link coverageCheck}.
 */
import type { Check, CheckVerdict } from '../check.js';
import { CheckId, Status } from '../finding.js';
import { LIST_LIMIT, listNames } from '../findings.js';
import type { AuditModel, PolicyView } from '../model.js';
import { PolicyType, policyEnforcement, type Enforcement } from '../policies.js';
import { describeWorkload, podsOf, usesHostNetwork, workloadResource, type Workload } from '../workloads.js';
import { defaultDenyRemediation } from './default-deny.js';

function describePolicies(views: readonly PolicyView[]): string {
  return listNames(views.map((view) => `${view.name} [${view.types.join(', ') || 'none'}]`));
}

function evaluateWorkload(
  workload: Workload,
  direction: PolicyType,
  model: AuditModel,
  { enforced, note }: Enforcement,
): CheckVerdict[] {
  // Host-network pods are out of every policy's reach: `unenforceable-workload` reports them, coverage does not.
  const pods = workload.pods.filter((pod) => !usesHostNetwork(pod));
  if (pods.length === 0) return [];
  const covering = pods.map((pod) =>
    (model.policiesSelecting.get(pod) ?? []).filter((view) => view.types.includes(direction)),
  );
  const uncovered = pods.filter((_, index) => covering[index].length === 0).map((pod) => pod.metadata.name);
  const selecting = [...new Set(covering.flat().map((view) => view.name))];
  const namespacePolicies = model.policiesByNamespace.get(workload.namespace) ?? [];
  const subject = describeWorkload(workload);
  const evidence = {
    direction,
    running_pods: pods.length,
    host_network_pods: workload.pods.length - pods.length,
    uncovered_pods: uncovered.slice(0, LIST_LIMIT),
    uncovered_count: uncovered.length,
    selecting_policies: selecting,
    namespace_policies: namespacePolicies.map((view) => ({ name: view.name, policy_types: view.types })),
    enforced,
    ...(workload.resolutionNotes.length > 0 ? { owner_resolution: workload.resolutionNotes } : {}),
  };
  const resource = workloadResource(workload);
  const policiesNote = namespacePolicies.length > 0 ? note : '';

  if (uncovered.length === 0) {
    const message = `${podsOf(workload, pods.length, pods.length)} selected for ${direction} by ${listNames(selecting)}.${policiesNote}`;
    return [{ status: Status.Pass, resource, message, evidence }];
  }
  const which = workload.kind === 'Pod' ? '' : `: ${listNames(uncovered)}`;
  const existing =
    namespacePolicies.length > 0
      ? `NetworkPolicies in ${workload.namespace}: ${describePolicies(namespacePolicies)}.`
      : `Namespace ${workload.namespace} has no NetworkPolicy.`;
  return [
    {
      status: Status.Fail,
      resource,
      message: `${podsOf(workload, uncovered.length, pods.length)} not selected by any ${direction} policy${which}. ${existing}${policiesNote}`,
      remediation: defaultDenyRemediation(
        workload.namespace,
        direction,
        `Select ${workload.kind === 'Pod' ? subject : `the pods of ${subject}`} for ${direction} with a NetworkPolicy that allows only the traffic needed; a namespace-wide default-deny selects every pod.`,
      ),
      evidence,
    },
  ];
}

/**
 * The coverage check for `direction`: per workload with a running non-host-network pod in an audited namespace,
 * PASS when every such pod is selected by a policy of its namespace whose effective policyTypes include `direction`.
 */
export function coverageCheck(id: CheckId, direction: PolicyType): Check {
  return {
    id,
    evaluate({ model, engine }) {
      const enforcement = policyEnforcement(engine);
      return model.workloads.flatMap((workload) => evaluateWorkload(workload, direction, model, enforcement));
    },
  };
}

/** Ingress coverage per workload (Medium): the core of C-0230 on a live cluster. */
export const workloadCoverageCheck: Check = coverageCheck(CheckId.WorkloadCoverage, PolicyType.Ingress);
