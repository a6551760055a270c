/**
 * `workload-coverage`: is every running pod of each workload isolated for Ingress (the Isolation table of DESIGN.md:
 * by a policy that selects it, a cluster rule, or a default-deny setting)? The same judgement for Egress
 * (`workload-egress-coverage`) is built by the same {@link coverageCheck}.
 */
import type { Check } from '../check.js';
import { CheckId, Status } from '../finding.js';
import { LIST_LIMIT, listNames } from '../findings.js';
import type { AuditModel } from '../model.js';
import { PolicyType } from '../isolation/direction.js';
import { networkPolicyApi } from '../isolation/network-policy.js';
import type { PolicyView } from '../isolation/policy-api.js';
import { kindOfBucket, kindTitle } from '../kinds.js';
import { distinct } from '../engines/wording.js';
import type { CheckVerdict } from '../verdict.js';
import { describeWorkload, podsOf, usesHostNetwork, workloadResource, type Workload } from '../workloads.js';
import { defaultDenyRemediation } from './default-deny.js';
import { engineNote, type EngineNote } from './engine-note.js';
import { UNSURE_REMEDIATION, isolatedFor, sentence } from './isolation-wording.js';

/** How a message lists a namespace's policies: `allow-cart [Ingress]`, `ApplicationNetworkPolicy api [Egress]`, `Calico NetworkPolicy x [none]`. */
export function describeNamespacePolicies(views: readonly PolicyView[]): string {
  return listNames(
    views.map((view) => `${view.api === networkPolicyApi ? '' : `${kindTitle(kindOfBucket(view.api.bucket))} `}${view.name} [${view.isolates.join(', ') || 'none'}]`),
  );
}

/** The selecting policies that do not count, each with why, for a sentence. */
function notCounted(views: readonly PolicyView[]): string {
  if (views.length === 0) return '';
  return ` Not enforced, so not counted: ${listNames(views.map((view) => `${view.title} (${view.enforcementReason})`))}.`;
}

function evaluateWorkload(workload: Workload, direction: PolicyType, model: AuditModel, { enforced, note }: EngineNote): CheckVerdict[] {
  // Host-network pods are out of every policy's reach: `unenforceable-workload` reports them, coverage does not.
  const pods = workload.pods.filter((pod) => !usesHostNetwork(pod));
  if (pods.length === 0) return [];
  const isolations = pods.map((pod) => model.isolation.get(pod)?.[direction] ?? { isolated: false, by: [] });
  const uncovered = pods.filter((_, index) => !isolations[index].isolated).map((pod) => pod.metadata.name);
  const selecting = pods.flatMap((pod) => model.policiesSelecting.get(pod) ?? []);
  const isolatingNames = distinct(
    pods.flatMap((pod) =>
      (model.policiesSelecting.get(pod) ?? []).filter((view) => view.counts && model.isolatesPod(view, pod).includes(direction)).map((view) => view.name),
    ),
  );
  const inert = distinct(pods.flatMap((pod) => model.uncountedSelecting.get(pod) ?? []));
  const isolatedBy = distinct(isolations.flatMap((isolation) => isolation.by));
  const open = distinct(isolations.flatMap((isolation) => (isolation.open ? [isolation.open] : [])));
  const disagreements = distinct(isolations.flatMap((isolation) => (isolation.disagreement ? [isolation.disagreement] : [])));
  const namespacePolicies = model.policiesByNamespace.get(workload.namespace) ?? [];
  const subject = describeWorkload(workload);
  const evidence = {
    direction,
    running_pods: pods.length,
    host_network_pods: workload.pods.length - pods.length,
    uncovered_pods: uncovered.slice(0, LIST_LIMIT),
    uncovered_count: uncovered.length,
    selecting_policies: isolatingNames,
    isolated_by: isolatedBy.slice(0, LIST_LIMIT),
    ...(open.length > 0 ? { opened_by: open } : {}),
    ...(inert.length > 0 ? { not_enforced: inert.map((view) => view.title) } : {}),
    ...(disagreements.length > 0 ? { endpoint_disagreement: disagreements.slice(0, LIST_LIMIT) } : {}),
    namespace_policies: namespacePolicies.map((view) => ({ name: view.name, kind: view.resource.kind, policy_types: view.isolates })),
    enforced,
    ...(workload.resolutionNotes.length > 0 ? { owner_resolution: workload.resolutionNotes } : {}),
  };
  const resource = workloadResource(workload);
  const policiesNote = namespacePolicies.length > 0 || selecting.length > 0 ? note : '';

  if (uncovered.length === 0) {
    const message = `${podsOf(workload, pods.length, pods.length)} ${isolatedFor(direction, isolatedBy)}.${policiesNote}`;
    return [{ status: Status.Pass, resource, message, evidence }];
  }
  // Pods whose isolation rests on sources not known to be in force: UNKNOWN unless some pod is open for certain.
  const unknown = distinct(isolations.flatMap((isolation) => (isolation.unknown === undefined ? [] : [isolation.unknown])));
  if (isolations.every((isolation) => isolation.isolated || isolation.unknown !== undefined)) {
    const whether = podsOf(workload, uncovered.length, pods.length).replace(/^(All|The) /, (word) => word.toLowerCase());
    return [
      {
        status: Status.Unknown,
        resource,
        message: `Cannot tell whether ${whether} isolated for ${direction}: ${unknown.join('; ')}.${policiesNote}`,
        remediation: UNSURE_REMEDIATION,
        evidence: { ...evidence, unknown_because: unknown },
      },
    ];
  }
  const which = workload.kind === 'Pod' ? '' : `: ${listNames(uncovered)}`;
  const why = [...open, ...disagreements].map((clause) => ` ${sentence(clause)}`).join('');
  const existing =
    namespacePolicies.length > 0
      ? `Policies in ${workload.namespace}: ${describeNamespacePolicies(namespacePolicies)}.`
      : `Namespace ${workload.namespace} has no policy.`;
  const clusterSelecting = distinct(selecting.filter((view) => view.counts && view.subject.namespace === null));
  const clusterText = clusterSelecting.length > 0 ? ` Cluster policies selecting its pods: ${describeNamespacePolicies(clusterSelecting)}.` : '';
  return [
    {
      status: Status.Fail,
      resource,
      message: `${podsOf(workload, uncovered.length, pods.length)} not isolated for ${direction}${which}.${why} ${existing}${clusterText}${notCounted(inert)}${policiesNote}`,
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
 * PASS when every such pod is isolated for `direction` by a counted source of the isolation model.
 */
export function coverageCheck(id: CheckId, direction: PolicyType): Check {
  return {
    id,
    evaluate({ model, engine }) {
      const note = engineNote(engine);
      return model.workloads.flatMap((workload) => evaluateWorkload(workload, direction, model, note));
    },
  };
}

/** Ingress coverage per workload (Medium): the core of C-0230 on a live cluster. */
export const workloadCoverageCheck: Check = coverageCheck(CheckId.WorkloadCoverage, PolicyType.Ingress);
