/**
 * Changes since the previous run: every finding of a cluster compared, by `finding_id`, with the same cluster's
 * previous run, so an alert can say what is new, what goes on and what got fixed. Pure: where the previous run comes
 * from (a folder, the S3 store) is the caller's business.
 */
import { CHECKS } from '../audit/checks/index.js';
import { Change, SCHEMA_VERSION, Status, type Finding } from '../audit/finding.js';
import { clusterKey, compareResources } from '../audit/findings.js';

const CHECK_ORDER: readonly string[] = CHECKS.map((check) => check.id);

/**
 * The findings of one cluster's run (`current`) with `first_seen` and `change` set against `previous`, the findings
 * of its previous run ([] when there is none: every failure is then new):
 * - `first_seen`: the previous finding's `first_seen` (its `observed_at` for records older than the field) when the
 *   status is unchanged, else this run's `observed_at`;
 * - `change`: FAIL now and then `ongoing`, FAIL now only `new`, PASS now after a FAIL `resolved`, otherwise null
 *   (an UNKNOWN is not a fix).
 * A previous failure whose finding is gone gets a PASS finding with `change: resolved` saying so — but only when the
 * check was decided in this run (it has findings and none is UNKNOWN): a resource missing from a run that could not
 * read it has not been fixed. The result keeps the audit's order (check, then resource).
 */
export function annotateChanges(current: readonly Finding[], previous: readonly Finding[]): Finding[] {
  const before = new Map(previous.map((finding) => [finding.finding_id, finding]));
  const annotated = current.map((finding) => {
    const prior = before.get(finding.finding_id);
    return { ...finding, first_seen: firstSeen(finding, prior), change: changeOf(finding.status, prior?.status) };
  });
  const [first] = current;
  if (first === undefined) return annotated;
  const present = new Set(current.map((finding) => finding.finding_id));
  const undecided = new Set(current.filter((finding) => finding.status === Status.Unknown).map((finding) => finding.check_id));
  const decided = new Set(current.map((finding) => finding.check_id).filter((check) => !undecided.has(check)));
  const gone = previous
    .filter((prior) => prior.status === Status.Fail && !present.has(prior.finding_id) && decided.has(prior.check_id))
    .map((prior) => goneFinding(prior, first));
  if (gone.length === 0) return annotated;
  // A stable sort: the audit's own order stands, and each gone finding joins its check.
  return [...annotated, ...gone].sort(
    (left, right) => CHECK_ORDER.indexOf(left.check_id) - CHECK_ORDER.indexOf(right.check_id) || compareResources(left.resource, right.resource),
  );
}

function firstSeen(finding: Finding, prior: Finding | undefined): string {
  if (prior === undefined || prior.status !== finding.status) return finding.observed_at;
  return prior.first_seen ?? prior.observed_at;
}

function changeOf(status: Status, prior: Status | undefined): Change | null {
  if (status === Status.Fail) return prior === Status.Fail ? Change.Ongoing : Change.New;
  return status === Status.Pass && prior === Status.Fail ? Change.Resolved : null;
}

/** The PASS that closes a failure whose resource is no longer in the audit; `run` is any finding of this run. */
function goneFinding(prior: Finding, run: Finding): Finding {
  const { kind, namespace, name } = prior.resource;
  const subject = `${kind} ${namespace ? `${namespace}/` : ''}${name}`;
  return {
    schema_version: SCHEMA_VERSION,
    finding_id: prior.finding_id,
    run_id: run.run_id,
    observed_at: run.observed_at,
    control_id: prior.control_id,
    check_id: prior.check_id,
    status: Status.Pass,
    severity: prior.severity,
    title: prior.title,
    message: `${subject} is no longer in the audit (deleted, or no longer audited): its ${prior.check_id} failure of run ${prior.run_id} is resolved.`,
    remediation: 'Nothing to do: the resource that failed is gone.',
    cluster: run.cluster,
    resource: { ...prior.resource },
    evidence: { gone: true, previous_run_id: prior.run_id, previous_observed_at: prior.observed_at, previous_message: prior.message },
    requirements: [...prior.requirements],
    first_seen: run.observed_at,
    change: Change.Resolved,
    suppression: null,
  };
}

/**
 * Every cluster's findings of `current` annotated against its own previous run, which `previousOf` gives from a
 * cluster's key ({@link clusterKey}); `undefined` from it means no previous run, so that cluster's failures are new.
 */
export function annotateRun(current: readonly Finding[], previousOf: (cluster: string) => readonly Finding[] | undefined): Finding[] {
  return groupByCluster(current).flatMap(([key, findings]) => annotateChanges(findings, previousOf(key) ?? []));
}

/** `findings` grouped by cluster key, in order of first appearance (the audit's cluster order). */
export function groupByCluster(findings: readonly Finding[]): Array<[string, Finding[]]> {
  const groups = new Map<string, Finding[]>();
  for (const finding of findings) {
    const key = clusterKey(finding.cluster);
    const group = groups.get(key);
    if (group) group.push(finding);
    else groups.set(key, [finding]);
  }
  return [...groups.entries()];
}
