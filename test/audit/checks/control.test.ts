import type { CheckVerdict } from '../../../lambda/audit/verdict.js';
import { controlCheck, type CheckOutcome } from '../../../lambda/audit/checks/control.js';
import { CheckId, Severity, Status } from '../../../lambda/audit/finding.js';
import { context, snapshot } from '../fixtures.js';

function verdicts(...statuses: Status[]): CheckVerdict[] {
  return statuses.map((status, i) => ({ status, resource: { kind: 'Namespace', namespace: null, name: `ns-${i}` }, message: status }));
}

function rollUp(earlier: CheckOutcome[]) {
  return controlCheck.evaluate(context(snapshot({})), earlier);
}

describe('control', () => {
  it('passes on the cluster when every Medium check passed', () => {
    // Prepare
    const earlier = [
      { id: CheckId.Engine, severity: Severity.Medium, verdicts: verdicts(Status.Pass) },
      { id: CheckId.NamespaceCoverage, severity: Severity.Medium, verdicts: verdicts(Status.Pass, Status.Pass) },
    ];

    // Act
    const result = rollUp(earlier);

    // Assess
    expect(result).toEqual([
      {
        status: Status.Pass,
        resource: { kind: 'Cluster', namespace: null, name: 'prod-eu' },
        message: 'C-0230 passes: every Medium check passed (engine, namespace-coverage).',
        evidence: {
          medium_checks: { engine: { pass: 1, fail: 0, unknown: 0, suppressed: 0 }, 'namespace-coverage': { pass: 2, fail: 0, unknown: 0, suppressed: 0 } },
          excluded_namespaces: ['kube-system', 'kube-public', 'kube-node-lease'],
        },
      },
    ]);
  });

  it('fails when any Medium check failed, counting failures and unknowns per check', () => {
    const earlier = [
      { id: CheckId.Engine, severity: Severity.Medium, verdicts: verdicts(Status.Pass) },
      { id: CheckId.NamespaceCoverage, severity: Severity.Medium, verdicts: verdicts(Status.Fail, Status.Fail, Status.Pass) },
      { id: CheckId.WorkloadCoverage, severity: Severity.Medium, verdicts: verdicts(Status.Fail, Status.Unknown) },
      { id: CheckId.EngineHealth, severity: Severity.Medium, verdicts: verdicts(Status.Unknown) },
    ];

    const [verdict] = rollUp(earlier);

    expect([verdict?.status, verdict?.message]).toEqual([
      Status.Fail,
      'C-0230 fails: namespace-coverage 2 FAIL, workload-coverage 1 FAIL; not decided: workload-coverage 1 UNKNOWN, engine-health 1 UNKNOWN.',
    ]);
  });

  it('is UNKNOWN when a Medium check is UNKNOWN and none failed', () => {
    const earlier = [
      { id: CheckId.Engine, severity: Severity.Medium, verdicts: verdicts(Status.Unknown) },
      { id: CheckId.NamespaceCoverage, severity: Severity.Medium, verdicts: verdicts(Status.Pass) },
    ];

    expect(rollUp(earlier).map((v) => [v.status, v.message])).toEqual([[Status.Unknown, 'C-0230 cannot be decided: engine 1 UNKNOWN.']]);
  });

  it('is UNKNOWN when input objects were skipped, even though every Medium check passed, listing them in the evidence', () => {
    // Prepare
    const skipped = [
      { place: 'cluster.json: items[4]', object: 'Pod shop/web-1', reason: 'spec.hostNetwork is not true or false' },
      { place: 'cluster.json: items[9]', object: 'no kind no name', reason: 'not an object' },
    ];
    const earlier = [{ id: CheckId.Engine, severity: Severity.Medium, verdicts: verdicts(Status.Pass) }];

    // Act
    const [verdict] = controlCheck.evaluate(context(snapshot({}, { skipped })), earlier);

    // Assess
    expect(verdict).toMatchObject({
      status: Status.Unknown,
      message:
        'C-0230 cannot be decided: 2 input objects were skipped as unreadable (cluster.json: items[4] (Pod shop/web-1), cluster.json: items[9] (no kind no name)).',
      evidence: { skipped_objects: skipped, skipped_count: 2 },
      remediation: expect.stringMatching(/^Fix or capture again the input objects that were skipped/),
    });
  });

  it('still fails when objects were skipped and a Medium check failed, naming the skipped ones as undecided', () => {
    const skipped = [{ place: 'a.json: items[0]', object: 'Pod shop/x', reason: 'metadata.namespace is missing' }];
    const earlier = [{ id: CheckId.Engine, severity: Severity.Medium, verdicts: verdicts(Status.Fail) }];

    const [verdict] = controlCheck.evaluate(context(snapshot({}, { skipped })), earlier);

    expect([verdict?.status, verdict?.message]).toEqual([
      Status.Fail,
      'C-0230 fails: engine 1 FAIL; not decided: 1 input object was skipped as unreadable (a.json: items[0] (Pod shop/x)).',
    ]);
  });

  it('ignores Low and Informational checks', () => {
    const earlier = [
      { id: CheckId.Engine, severity: Severity.Medium, verdicts: verdicts(Status.Pass) },
      { id: CheckId.DefaultDeny, severity: Severity.Low, verdicts: verdicts(Status.Fail) },
      { id: CheckId.DanglingPolicy, severity: Severity.Informational, verdicts: verdicts(Status.Unknown) },
    ];

    expect(rollUp(earlier).map((v) => v.status)).toEqual([Status.Pass]);
  });
});
