/** How the coverage checks put an isolation into words, one way for pods and namespaces alike. */
import { listOf } from '../engines/wording.js';
import { LIST_LIMIT } from '../findings.js';
import type { PolicyType } from '../isolation/direction.js';
import type { PolicyView } from '../isolation/policy-api.js';
import { Status } from '../finding.js';
import type { CheckVerdict } from '../verdict.js';

const BY_POLICY = 'isolated by ';

/**
 * `isolated for Ingress by NetworkPolicy shop/a and NetworkPolicy shop/b` when policies isolate, else the sources
 * spelled out: `isolated for Ingress: denied by default: VPC CNI strict mode, no policy selects it`.
 */
export function isolatedFor(direction: PolicyType, sources: readonly string[]): string {
  const shown = sources.slice(0, LIST_LIMIT);
  const more = sources.length > LIST_LIMIT ? [`${sources.length - LIST_LIMIT} more`] : [];
  if (shown.every((source) => source.startsWith(BY_POLICY))) {
    return `isolated for ${direction} by ${listOf([...shown.map((source) => source.slice(BY_POLICY.length)), ...more])}`;
  }
  return `isolated for ${direction}: ${[...shown, ...more].join('; ')}`;
}

/** A clause as a sentence of its own. */
export function sentence(clause: string): string {
  return `${clause.charAt(0).toUpperCase()}${clause.slice(1)}.`;
}

/**
 * How to decide a verdict that rests on sources not known to be in force: an unreadable VPC CNI version, or a policy
 * the audit cannot read (a Calico selector its parser refuses, a tier not captured).
 */
export const UNSURE_REMEDIATION =
  "Give the audit the version of the engine that would enforce the sources named: the aws-node DaemonSet with its " +
  'image tag (`kubectl -n kube-system get daemonset aws-node -o json`), or the vpc-cni add-on ' +
  '(`aws eks describe-addon --cluster-name NAME --addon-name vpc-cni`). For a policy the audit cannot read, capture ' +
  "the Tiers with the policies when its tier was not read; if Calico accepts its selector, report the selector to the auditor's maintainers.";

/** The UNKNOWN a per-policy check gives a policy it cannot read: what it selects is not known. */
export function unreadableVerdict(view: PolicyView): CheckVerdict {
  return {
    status: Status.Unknown,
    resource: view.resource,
    message: `${view.title} cannot be judged: ${view.unreadable}.`,
    remediation: UNSURE_REMEDIATION,
    evidence: { unreadable: view.unreadable },
  };
}

/** Why a NodeClass default deny isolates a namespace's running pods but is no default deny of the namespace. */
export const NODE_CLASS_CAVEAT = 'this holds for the pods on those nodes only: a pod started on a node of another NodeClass would not be denied by default';
