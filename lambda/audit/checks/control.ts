/**
 * `control`: the C-0230 verdict for the cluster, rolled up from the Medium checks. It is the one check that reads
 * other checks' results, so it receives them as an argument (it stays a pure function) and the registry lists it last.
 */
import type { AuditContext, CheckVerdict } from '../check.js';
import { CONTROL_ID, CheckId, Severity, Status } from '../finding.js';

/** The verdicts one check gave, with the severity the registry assigns it. */
export interface CheckOutcome {
  id: CheckId;
  severity: Severity;
  verdicts: readonly CheckVerdict[];
}

interface Tally {
  pass: number;
  fail: number;
  unknown: number;
}

function tally(verdicts: readonly CheckVerdict[]): Tally {
  const count = (status: Status) => verdicts.filter((verdict) => verdict.status === status).length;
  return { pass: count(Status.Pass), fail: count(Status.Fail), unknown: count(Status.Unknown) };
}

function describeTallies(tallies: ReadonlyArray<[CheckId, Tally]>, field: 'fail' | 'unknown'): string {
  return tallies
    .filter(([, counts]) => counts[field] > 0)
    .map(([id, counts]) => `${id} ${counts[field]} ${field === 'fail' ? 'FAIL' : 'UNKNOWN'}`)
    .join(', ');
}

/**
 * The roll-up of the Medium checks in `earlier` (the outcomes of every check evaluated before it): FAIL if any failed,
 * else UNKNOWN if any is UNKNOWN, else PASS. The message counts failures and unknowns per check.
 */
export const controlCheck = {
  id: CheckId.Control,
  evaluate({ model }: AuditContext, earlier: readonly CheckOutcome[]): CheckVerdict[] {
    const tallies = earlier
      .filter((outcome) => outcome.severity === Severity.Medium)
      .map((outcome): [CheckId, Tally] => [outcome.id, tally(outcome.verdicts)]);
    const failures = describeTallies(tallies, 'fail');
    const unknowns = describeTallies(tallies, 'unknown');
    const evidence = { medium_checks: Object.fromEntries(tallies) };
    const resource = model.cluster;
    if (failures) {
      const also = unknowns ? `; not decided: ${unknowns}` : '';
      return [{ status: Status.Fail, resource, message: `${CONTROL_ID} fails: ${failures}${also}.`, evidence }];
    }
    if (unknowns) {
      return [{ status: Status.Unknown, resource, message: `${CONTROL_ID} cannot be decided: ${unknowns}.`, evidence }];
    }
    const checked = tallies.map(([id]) => id).join(', ');
    return [{ status: Status.Pass, resource, message: `${CONTROL_ID} passes: every Medium check passed (${checked}).`, evidence }];
  },
};
