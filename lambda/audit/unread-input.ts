/**
 * The one UNKNOWN a check gives when its input was not read: missing data is never a PASS.
 */
import { Status } from './finding.js';
import { kindOfBucket, type KindBucket } from './kinds.js';
import { clusterResource } from './model.js';
import type { ClusterSnapshot } from './snapshot.js';
import type { CheckVerdict } from './verdict.js';

/**
 * The one UNKNOWN verdict (on the Cluster resource) of a check whose input was not read, or `undefined` when every
 * kind in `needs` was read. The reason and remediation come from the snapshot's collection problem for that kind when
 * there is one (e.g. a 403), and a `cluster` problem (API unreachable, 401, cluster not ACTIVE) makes every check
 * that needs in-cluster data UNKNOWN with that problem's words.
 */
export function unreadInputVerdict(snapshot: ClusterSnapshot, needs: readonly KindBucket[]): CheckVerdict | undefined {
  if (needs.length === 0) return undefined;
  const resource = clusterResource(snapshot);
  const clusterProblem = snapshot.problems.find((problem) => problem.kind === 'cluster');
  if (clusterProblem) {
    return {
      status: Status.Unknown,
      resource,
      message: `Not evaluated: the Kubernetes API of cluster ${resource.name} could not be read (${clusterProblem.reason}).`,
      ...(clusterProblem.remediation ? { remediation: clusterProblem.remediation } : {}),
      evidence: { missing: [...needs], reason: clusterProblem.reason },
    };
  }
  const missing = needs.filter((kind) => snapshot.kube[kind] === undefined);
  if (missing.length === 0) return undefined;
  const problems = missing.map((kind) => snapshot.problems.find((problem) => problem.kind === kind));
  const reasons = missing.map((kind, index) => {
    const reason = problems[index]?.reason;
    return `${kindOfBucket(kind).label} were not read${reason ? ` (${reason})` : ''}`;
  });
  const resources = missing.map((kind) => kindOfBucket(kind).plural).join(',');
  const remediations = problems.flatMap((problem) => (problem?.remediation ? [problem.remediation] : []));
  return {
    status: Status.Unknown,
    resource,
    message: `Not evaluated: ${reasons.join('; ')}.`,
    remediation:
      remediations.length > 0
        ? remediations.join(' ')
        : `Include ${resources} in the input (kubectl get ${resources} -A -o json), or grant the auditor "list" on ${resources} at cluster scope, and audit again.`,
    evidence: { missing, reasons },
  };
}
