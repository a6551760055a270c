import { CheckId, DEFAULT_EXCLUDED_NAMESPACES, Status, type Finding, type SuppressionSubject } from '../../lambda/audit/finding.js';
import { auditSnapshot } from '../../lambda/audit/index.js';
import { InputError, loadOfflineSnapshot } from '../../lambda/collect/offline.js';
import { parseSuppressions, suppressionMatcher, suppressionWarnings, suppressionsUsed } from '../../lambda/lifecycle/suppressions.js';
import { finding } from '../report/fixtures.js';

const OBSERVED_AT = new Date('2026-06-01T06:00:00Z');

function subject(overrides: Partial<SuppressionSubject> = {}): SuppressionSubject {
  return {
    checkId: CheckId.WorkloadCoverage,
    cluster: 'shop-eu',
    resource: { kind: 'Deployment', namespace: 'analytics', name: 'metabase' },
    ...overrides,
  };
}

function entries(yaml: string) {
  return parseSuppressions('suppressions.yaml', yaml);
}

function refusal(text: string): string {
  try {
    parseSuppressions('suppressions.yaml', text);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('the file was accepted');
}

describe('parseSuppressions', () => {
  it('reads YAML and JSON lists into entries with their selectors, reason, expiry and id', () => {
    // Prepare
    const yaml = `- check: workload-coverage\n  namespace: analytics\n  reason: BI tools, accepted by sec\n  expires: "2026-12-31"\n- {name: "legacy-*", reason: r, expires: 2027-01-01}\n`;
    const json = JSON.stringify([{ cluster: 'shop-*', reason: 'r', expires: '2026-07-01' }]);

    // Act
    const fromYaml = entries(yaml);
    const fromJson = parseSuppressions('s.json', json);

    // Assess
    expect(fromYaml).toEqual([
      {
        id: 'suppressions.yaml#1',
        label: 'suppressions.yaml#1 (check workload-coverage, namespace analytics)',
        selectors: { check: 'workload-coverage', namespace: 'analytics' },
        reason: 'BI tools, accepted by sec',
        expires: '2026-12-31',
      },
      { id: 'suppressions.yaml#2', label: 'suppressions.yaml#2 (name legacy-*)', selectors: { name: 'legacy-*' }, reason: 'r', expires: '2027-01-01' },
    ]);
    expect(fromJson.map((entry) => [entry.id, entry.selectors])).toEqual([['s.json#1', { cluster: 'shop-*' }]]);
  });

  it.each([
    ['no reason', '- {check: engine, expires: 2026-12-31}', 'entry 1 (check engine): no reason: say why the risk is accepted'],
    ['a blank reason', '- {check: engine, reason: "  ", expires: 2026-12-31}', 'entry 1 (check engine): no reason'],
    ['no expiry', '- {namespace: web, reason: accepted}', 'entry 1 (namespace web): no expires: give the last day it applies (YYYY-MM-DD)'],
    ['a date that does not exist', '- {namespace: web, reason: r, expires: 2026-02-30}', 'entry 1 (namespace web): expires "2026-02-30" is not a date (YYYY-MM-DD)'],
    ['a time instead of a date', '- {namespace: web, reason: r, expires: "2026-02-01T00:00:00Z"}', 'entry 1 (namespace web): expires "2026-02-01T00:00:00Z" is not a date (YYYY-MM-DD)'],
    ['a misspelt field', '- {namepsace: web, kind: Namespace, reason: r, expires: 2026-12-31}', 'entry 1 (kind Namespace): unknown field "namepsace"'],
    ['no selector', '- {reason: r, expires: 2026-12-31}', 'entry 1 (no selector): it names none of check, cluster, namespace, kind, name, so it would suppress every finding'],
    ['an unknown check', '- {check: namespace-coverge, reason: r, expires: 2026-12-31}', 'entry 1 (check namespace-coverge): check "namespace-coverge" matches no check id (engine, engine-health'],
    ['a selector that is not text', '- {name: 42, reason: r, expires: 2026-12-31}', 'entry 1 (no selector): name must be a non-empty text (a glob)'],
    ['an entry that is not an object', '- just a string', 'entry 1: expected an object'],
  ])('refuses an entry with %s, naming the file and the entry', (_case, text, message) => {
    expect(refusal(text)).toContain(`suppressions.yaml: ${message}`);
  });

  it('names the position of the bad entry among good ones', () => {
    expect(refusal('- {check: engine, reason: r, expires: 2026-12-31}\n- {kind: Pod, reason: r}\n')).toBe(
      'suppressions.yaml: entry 2 (kind Pod): no expires: give the last day it applies (YYYY-MM-DD)',
    );
  });

  it('refuses a file that is not one list of entries', () => {
    expect(refusal('check: engine\nreason: r\n')).toMatch(/^suppressions\.yaml: expected one list of suppression entries/);
    expect(refusal('')).toBe('suppressions.yaml: empty file');
  });

  it('accepts an empty list: a stack may deploy with no suppressions', () => {
    expect(entries('[]')).toEqual([]);
  });
});

describe('suppressionMatcher', () => {
  const match = (yaml: string, at: Date, target: SuppressionSubject) => suppressionMatcher(entries(yaml), at)(target);

  it.each([
    ['check', 'check: workload-*'],
    ['cluster', 'cluster: shop-??'],
    ['namespace', 'namespace: analytics'],
    ['kind', 'kind: Deploy*'],
    ['name', 'name: meta*'],
  ])('matches by %s with a glob', (_field, selector) => {
    const suppression = match(`- {${selector}, reason: accepted, expires: 2026-12-31}`, OBSERVED_AT, subject());

    expect(suppression).toEqual({ reason: 'accepted', expires: '2026-12-31', entry: 'suppressions.yaml#1' });
  });

  it('needs every selector of the entry to match', () => {
    const yaml = '- {namespace: analytics, name: nightly-report, reason: r, expires: 2026-12-31}';

    expect(match(yaml, OBSERVED_AT, subject())).toBeNull();
    expect(match(yaml, OBSERVED_AT, subject({ resource: { kind: 'CronJob', namespace: 'analytics', name: 'nightly-report' } }))).not.toBeNull();
  });

  it('matches whole names only: a glob without * is the exact name', () => {
    expect(match('- {name: meta, reason: r, expires: 2026-12-31}', OBSERVED_AT, subject())).toBeNull();
  });

  it('never matches a namespace glob on a resource without a namespace, even "*"', () => {
    const namespaceFinding = subject({ checkId: CheckId.NamespaceCoverage, resource: { kind: 'Namespace', namespace: null, name: 'analytics' } });

    expect(match('- {namespace: "*", reason: r, expires: 2026-12-31}', OBSERVED_AT, namespaceFinding)).toBeNull();
    expect(match('- {kind: Namespace, name: analytics, reason: r, expires: 2026-12-31}', OBSERVED_AT, namespaceFinding)).not.toBeNull();
  });

  it('applies through its expiry day (UTC) and not the day after', () => {
    const yaml = '- {namespace: analytics, reason: r, expires: 2026-06-01}';

    expect(match(yaml, new Date('2026-06-01T23:59:59Z'), subject())).not.toBeNull();
    expect(match(yaml, new Date('2026-06-02T00:00:00Z'), subject())).toBeNull();
  });

  it('gives the first unexpired matching entry, in file order', () => {
    const yaml = [
      '- {namespace: analytics, reason: old, expires: 2026-01-01}',
      '- {namespace: analytics, reason: current, expires: 2026-12-31}',
      '- {name: metabase, reason: later, expires: 2026-12-31}',
    ].join('\n');

    expect(match(yaml, OBSERVED_AT, subject())?.entry).toBe('suppressions.yaml#2');
  });
});

describe('suppressionWarnings', () => {
  it('names each expired entry and each unexpired entry that suppressed no finding', () => {
    // Prepare
    const list = entries(
      [
        '- {namespace: analytics, reason: r, expires: 2026-01-31}',
        '- {namespace: analytics, reason: r, expires: 2026-12-31}',
        '- {namespace: analytics, kind: Deployment, reason: shadowed by entry 2, expires: 2026-12-31}',
      ].join('\n'),
    );
    const findings: Finding[] = [finding({ suppression: { reason: 'r', expires: '2026-12-31', entry: 'suppressions.yaml#2' } }), finding()];

    // Act
    const warnings = suppressionWarnings(list, suppressionsUsed(findings), OBSERVED_AT);

    // Assess
    expect(warnings).toEqual([
      'suppression suppressions.yaml#1 (namespace analytics) expired on 2026-01-31 and no longer applies',
      'suppression suppressions.yaml#3 (namespace analytics, kind Deployment) matched no finding',
    ]);
  });
});

describe('suppressions in the audit of examples/shop-eu', () => {
  async function audit(yaml: string): Promise<Finding[]> {
    const snapshot = await loadOfflineSnapshot(
      { kube: ['examples/shop-eu/cluster.json'], eksCluster: 'examples/shop-eu/eks-cluster.json', eksAddons: ['examples/shop-eu/addon-vpc-cni.json'] },
      () => undefined,
    );
    return auditSnapshot(snapshot, { runId: 'run-2', observedAt: OBSERVED_AT, excludedNamespaces: DEFAULT_EXCLUDED_NAMESPACES, suppress: suppressionMatcher(entries(yaml), OBSERVED_AT) });
  }
  const control = (findings: Finding[]) => findings.find((item) => item.check_id === CheckId.Control) as Finding;

  it('marks the matching findings, keeps their status, and leaves them out of the control verdict while counting them', async () => {
    // Prepare: every Medium failure of the example but those of web/legacy-admin is accepted.
    const yaml = [
      '- {check: "*-coverage", namespace: analytics, reason: BI sandbox, expires: 2026-12-31}',
      '- {check: namespace-coverage, kind: Namespace, name: "analytics", reason: BI sandbox, expires: 2026-12-31}',
      '- {check: namespace-coverage, kind: Namespace, name: default, reason: unused, expires: 2026-12-31}',
    ].join('\n');

    // Act
    const findings = await audit(yaml);

    // Assess
    const suppressed = findings.filter((item) => item.suppression !== null);
    expect(suppressed.every((item) => item.status === Status.Fail)).toBe(true);
    expect(suppressed.map((item) => `${item.check_id} ${item.resource.kind} ${item.resource.name}`).sort()).toEqual([
      'namespace-coverage Namespace analytics',
      'namespace-coverage Namespace default',
      'workload-coverage CronJob nightly-report',
      'workload-coverage Deployment metabase',
      'workload-egress-coverage CronJob nightly-report',
      'workload-egress-coverage Deployment metabase',
    ]);
    expect(control(findings).status).toBe(Status.Fail);
    expect(control(findings).message).toBe(
      'C-0230 fails: workload-coverage 1 FAIL. Not counted: namespace-coverage 2 suppressed, workload-coverage 2 suppressed (accepted in the suppressions).',
    );
    expect(control(findings).evidence.medium_checks).toMatchObject({
      'namespace-coverage': { fail: 0, suppressed: 2 },
      'workload-coverage': { fail: 1, suppressed: 2 },
    });
  });

  it('passes the control when every Medium failure is suppressed, and says so', async () => {
    const findings = await audit('- {check: "*coverage", reason: accepted for the pilot, expires: 2026-12-31}');

    expect(control(findings).status).toBe(Status.Pass);
    expect(control(findings).message).toMatch(/^C-0230 passes: every Medium check passed or is suppressed \(.*\)\. Not counted: namespace-coverage 2 suppressed, workload-coverage 3 suppressed/);
  });
});
