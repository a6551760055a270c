import { CheckId, Status, type Finding } from '../../lambda/audit/finding.js';
import { annotateChanges, annotateRun } from '../../lambda/lifecycle/changes.js';
import { clusterKey } from '../../lambda/audit/findings.js';
import { finding, findingCluster } from '../report/fixtures.js';

const DAY_1 = '2026-06-01T06:00:00.000Z';
const DAY_2 = '2026-06-02T06:00:00.000Z';
const DAY_3 = '2026-06-03T06:00:00.000Z';

function run(runId: string, observedAt: string, findings: Array<Partial<Finding>>): Finding[] {
  return findings.map((overrides) => finding({ run_id: runId, observed_at: observedAt, first_seen: observedAt, ...overrides }));
}

const namespace = (name: string) => ({ resource: { kind: 'Namespace', namespace: null, name } });

describe('annotateChanges', () => {
  it('says new, ongoing and resolved as DESIGN defines them, and null for the rest', () => {
    // Prepare
    const previous = run('run-1', DAY_1, [
      { ...namespace('still-failing'), status: Status.Fail },
      { ...namespace('fixed'), status: Status.Fail },
      { ...namespace('now-unknown'), status: Status.Fail },
      { ...namespace('still-passing'), status: Status.Pass },
    ]);
    const current = run('run-2', DAY_2, [
      { ...namespace('still-failing'), status: Status.Fail },
      { ...namespace('fixed'), status: Status.Pass },
      { ...namespace('now-unknown'), status: Status.Unknown },
      { ...namespace('still-passing'), status: Status.Pass },
      { ...namespace('broke'), status: Status.Fail },
    ]);

    // Act
    const annotated = annotateChanges(current, previous);

    // Assess
    expect(annotated.map((item) => [item.resource.name, item.change, item.first_seen])).toEqual([
      ['still-failing', 'ongoing', DAY_1],
      ['fixed', 'resolved', DAY_2],
      ['now-unknown', null, DAY_2],
      ['still-passing', null, DAY_1],
      ['broke', 'new', DAY_2],
    ]);
  });

  it('carries first_seen across runs while the status holds, and restarts it when the status changes', () => {
    // Prepare
    const day1 = annotateChanges(run('run-1', DAY_1, [{ status: Status.Fail }]), []);
    const day2 = annotateChanges(run('run-2', DAY_2, [{ status: Status.Fail }]), day1);
    const day3 = annotateChanges(run('run-3', DAY_3, [{ status: Status.Pass }]), day2);

    // Assess
    expect([day1, day2, day3].map(([item]) => [item?.change, item?.first_seen])).toEqual([
      ['new', DAY_1],
      ['ongoing', DAY_1],
      ['resolved', DAY_3],
    ]);
  });

  it('reads a record without first_seen (schema 1.0) as first seen when it was observed', () => {
    const { first_seen: _omitted, ...legacy } = finding({ run_id: 'run-1', observed_at: DAY_1 });

    const [item] = annotateChanges(run('run-2', DAY_2, [{}]), [legacy as Finding]);

    expect(item?.first_seen).toBe(DAY_1);
  });

  it('closes a failure whose resource is gone with a PASS that says so, in the order of the audit', () => {
    // Prepare
    const previous = run('run-1', DAY_1, [
      { ...namespace('analytics'), status: Status.Fail, message: 'Namespace analytics has no NetworkPolicy' },
      { ...namespace('old-pass'), status: Status.Pass },
      { check_id: CheckId.Engine, resource: { kind: 'Cluster', namespace: null, name: 'prod' }, status: Status.Pass },
    ]);
    const current = run('run-2', DAY_2, [
      { check_id: CheckId.Engine, resource: { kind: 'Cluster', namespace: null, name: 'prod' }, status: Status.Pass },
      { ...namespace('web'), status: Status.Pass },
      { check_id: CheckId.Control, resource: { kind: 'Cluster', namespace: null, name: 'prod' }, status: Status.Pass },
    ]);

    // Act
    const annotated = annotateChanges(current, previous);

    // Assess: the vanished PASS is not reported, the vanished FAIL is, between engine and control.
    expect(annotated.map((item) => `${item.check_id} ${item.resource.name} ${item.status} ${item.change}`)).toEqual([
      'engine prod PASS null',
      'namespace-coverage analytics PASS resolved',
      'namespace-coverage web PASS null',
      'control prod PASS null',
    ]);
    const gone = annotated[1] as Finding;
    expect(gone).toMatchObject({
      finding_id: previous[0]?.finding_id,
      run_id: 'run-2',
      observed_at: DAY_2,
      first_seen: DAY_2,
      severity: 'Medium',
      suppression: null,
      message: 'Namespace analytics is no longer in the audit (deleted, or no longer audited): its namespace-coverage failure of run run-1 is resolved.',
      evidence: { gone: true, previous_run_id: 'run-1', previous_observed_at: DAY_1, previous_message: 'Namespace analytics has no NetworkPolicy' },
    });
  });

  it('concludes nothing about a missing resource when the check could not be decided in this run', () => {
    // Prepare: the cluster could not be read; namespace-coverage is one UNKNOWN on the cluster.
    const previous = run('run-1', DAY_1, [{ ...namespace('analytics'), status: Status.Fail }]);
    const current = run('run-2', DAY_2, [{ resource: { kind: 'Cluster', namespace: null, name: 'prod' }, status: Status.Unknown }]);

    // Act
    const annotated = annotateChanges(current, previous);

    // Assess
    expect(annotated.map((item) => [item.resource.name, item.status, item.change])).toEqual([['prod', 'UNKNOWN', null]]);
  });

  it('counts every failure as new when there is no previous run', () => {
    const annotated = annotateChanges(run('run-1', DAY_1, [{ status: Status.Fail }, { ...namespace('b'), status: Status.Pass }]), []);

    expect(annotated.map((item) => item.change)).toEqual(['new', null]);
  });
});

describe('annotateRun', () => {
  it("compares each cluster with its own previous run only", () => {
    // Prepare
    const prodBefore = run('run-1', DAY_1, [{ status: Status.Fail }]);
    const current = [
      ...run('run-2', DAY_2, [{ status: Status.Fail }]),
      ...run('run-2', DAY_2, [{ status: Status.Fail, cluster: findingCluster('dev') }]),
    ];
    const previous = new Map([[clusterKey(findingCluster('prod')), prodBefore]]);

    // Act
    const annotated = annotateRun(current, (key) => previous.get(key));

    // Assess
    expect(annotated.map((item) => [item.cluster.name, item.change])).toEqual([
      ['prod', 'ongoing'],
      ['dev', 'new'],
    ]);
  });
});
