/**
 * `control`: the C-0230 verdict for the cluster, rolled up from the Medium checks. It is the one check that reads
 * other checks' results, so it receives them as an argument (it stays a pure function) and the registry lists it last.
 */
import type { AuditContext } from '../check.js';
import type { CheckVerdict } from '../verdict.js';
import { CONTROL_ID, CheckId, Severity, Status } from '../finding.js';
import { countOf, listNames } from '../findings.js';
import type { SkippedObject } from '../snapshot.js';
import type { PolicyView } from '../isolation/policy-api.js';
import { UNSURE_REMEDIATION } from './isolation-wording.js';

/** The verdicts one check gave, with the severity the registry assigns it. */
export interface CheckOutcome {
  id: CheckId;
  severity: Severity;
  verdicts: readonly CheckVerdict[];
}

/** A check's verdicts counted; `fail` counts only unsuppressed failures, `suppressed` the others. */
interface Tally {
  pass: number;
  fail: number;
  unknown: number;
  suppressed: number;
}

function tally(verdicts: readonly CheckVerdict[]): Tally {
  const count = (status: Status, suppressed: boolean) =>
    verdicts.filter((verdict) => verdict.status === status && (verdict.suppression !== undefined) === suppressed).length;
  const all = (status: Status) => count(status, false) + count(status, true);
  return { pass: all(Status.Pass), fail: count(Status.Fail, false), unknown: all(Status.Unknown), suppressed: count(Status.Fail, true) };
}

const FIELD_WORDS = { fail: 'FAIL', unknown: 'UNKNOWN', suppressed: 'suppressed' } as const;

function describeTallies(tallies: ReadonlyArray<[CheckId, Tally]>, field: keyof typeof FIELD_WORDS): string {
  return tallies
    .filter(([, counts]) => counts[field] > 0)
    .map(([id, counts]) => `${id} ${counts[field]} ${FIELD_WORDS[field]}`)
    .join(', ');
}

/** At most this many skipped objects are listed in the evidence; the count says how many there were. */
export const SKIPPED_LISTED = 100;

const SKIPPED_REMEDIATION =
  'Fix or capture again the input objects that were skipped (the evidence names each one, where it was and why), audit again, and resolve the failing or undecided Medium checks: each of their findings carries its own remediation.';

/** "3 input objects were skipped as unreadable (cluster.json: items[4] (Pod shop/a), …)". */
function describeSkipped(skipped: readonly SkippedObject[]): string {
  const places = listNames(skipped.map((entry) => `${entry.place} (${entry.object})`));
  return `${countOf(skipped.length, 'input object was', 'input objects were')} skipped as unreadable (${places})`;
}

/** "2 policies could not be read (Calico NetworkPolicy shop/x, …)". */
function describeUnreadable(views: readonly PolicyView[]): string {
  return `${countOf(views.length, 'policy', 'policies')} could not be read (${listNames(views.map((view) => view.title))})`;
}

/** Excluded names that match no namespace of the cluster (a typo excludes nothing), when Namespaces were read. */
function absentExclusions(excluded: readonly string[], snapshot: AuditContext['snapshot']): { excluded_namespaces_absent?: string[] } {
  const namespaces = snapshot.kube.namespaces;
  if (namespaces === undefined) return {};
  const present = new Set(namespaces.map((namespace) => namespace.metadata.name));
  const absent = excluded.filter((name) => !present.has(name));
  return absent.length > 0 ? { excluded_namespaces_absent: absent } : {};
}

/**
 * The roll-up of the Medium checks in `earlier` (the outcomes of every check evaluated before it), and of the Medium
 * verdicts of other checks: FAIL if any failed without a suppression, else UNKNOWN if any is UNKNOWN or input objects
 * were skipped (what they held is unknown: a skipped pod could be the one no policy covers), else PASS. The message
 * counts failures and unknowns per check, and the suppressed failures, which never decide the verdict but stay
 * visible; the evidence lists the namespaces excluded from the audit, and what was skipped and where.
 */
export const controlCheck = {
  id: CheckId.Control,
  evaluate({ model, snapshot, options }: AuditContext, earlier: readonly CheckOutcome[]): CheckVerdict[] {
    // A verdict may be graver than its check (an Admin-tier allow-all is Medium in a Low check): it counts as Medium.
    const tallies = earlier
      .map((outcome): [CheckId, CheckVerdict[]] => [outcome.id, outcome.verdicts.filter((verdict) => (verdict.severity ?? outcome.severity) === Severity.Medium)])
      .filter(([id, verdicts]) => verdicts.length > 0 || earlier.some((outcome) => outcome.id === id && outcome.severity === Severity.Medium))
      .map(([id, verdicts]): [CheckId, Tally] => [id, tally(verdicts)]);
    const failures = describeTallies(tallies, 'fail');
    const unknowns = describeTallies(tallies, 'unknown');
    const skipped = snapshot.skipped ?? [];
    const evidence = {
      medium_checks: Object.fromEntries(tallies),
      // A PASS with exclusions must be visibly so: these namespaces got no namespace or workload findings.
      excluded_namespaces: [...options.excludedNamespaces],
      ...absentExclusions(options.excludedNamespaces, snapshot),
      ...(skipped.length > 0 ? { skipped_objects: skipped.slice(0, SKIPPED_LISTED), skipped_count: skipped.length } : {}),
      ...(model.unreadable.length > 0 ? { unreadable_policies: model.unreadable.map((view) => ({ policy: view.title, reason: view.unreadable })) } : {}),
    };
    // A policy the audit cannot read leaves it incomplete, even where other policies decided every pod.
    const unreadable = model.unreadable.length > 0 ? describeUnreadable(model.unreadable) : '';
    const undecided = [unknowns, skipped.length > 0 ? describeSkipped(skipped) : '', unreadable].filter(Boolean).join('; ');
    const resource = model.cluster;
    const remediation = skipped.length > 0 ? { remediation: SKIPPED_REMEDIATION } : model.unreadable.length > 0 ? { remediation: UNSURE_REMEDIATION } : {};
    const suppressed = describeTallies(tallies, 'suppressed');
    const aside = suppressed ? ` Not counted: ${suppressed} (accepted in the suppressions).` : '';
    if (failures) {
      const also = undecided ? `; not decided: ${undecided}` : '';
      return [{ status: Status.Fail, resource, message: `${CONTROL_ID} fails: ${failures}${also}.${aside}`, evidence, ...remediation }];
    }
    if (undecided) {
      return [{ status: Status.Unknown, resource, message: `${CONTROL_ID} cannot be decided: ${undecided}.${aside}`, evidence, ...remediation }];
    }
    const checked = tallies.map(([id]) => id).join(', ');
    const passed = suppressed ? 'every Medium check passed or is suppressed' : 'every Medium check passed';
    return [{ status: Status.Pass, resource, message: `${CONTROL_ID} passes: ${passed} (${checked}).${aside}`, evidence }];
  },
};
