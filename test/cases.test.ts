/**
 * The cluster cases: every folder of test/cases is loaded by the offline loader, audited, and its findings compared
 * with the folder's expected.json (see test/cases/README.md). A failing case prints its missing and extra findings.
 */
import { basename } from 'node:path';
import { auditSnapshot } from '../lambda/audit/index.js';
import { CheckId, type Finding } from '../lambda/audit/finding.js';
import { loadOfflineSnapshot } from '../lambda/collect/offline.js';
import {
  CASES_DIR,
  caseOptions,
  caseSources,
  caseExpectation,
  compareFindings,
  judgedFindings,
  listCases,
  type ExpectedFinding,
} from './support/cases.js';

const cases = listCases();

const SNAKE_CASE = /^[a-z0-9]+(_[a-z0-9]+)*$/;

/**
 * The evidence keys of `value` at every depth that are not snake_case, as paths. The keys of `medium_checks` are check
 * ids (`engine-health`): names the finding record already uses as values, so they are checked to be check ids instead.
 */
function nonSnakeKeys(value: unknown, path: string): string[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => nonSnakeKeys(item, `${path}[${index}]`));
  if (value === null || typeof value !== 'object') return [];
  const checkIds: readonly string[] = Object.values(CheckId);
  return Object.entries(value).flatMap(([key, child]) => {
    const named = path.endsWith('.medium_checks') ? checkIds.includes(key) : SNAKE_CASE.test(key);
    return [...(named ? [] : [`${path}.${key}`]), ...nonSnakeKeys(child, `${path}.${key}`)];
  });
}

describe('cluster cases', () => {
  test.each(cases.map((dir) => [basename(dir), dir]))('%s', async (_name, dir) => {
    // Prepare
    const expectation = caseExpectation(dir);
    const snapshot = await loadOfflineSnapshot(caseSources(dir), () => undefined);

    // Act
    const findings = auditSnapshot(snapshot, caseOptions(dir));

    // Assess
    expect(compareFindings(expectation.findings, judgedFindings(expectation, findings))).toEqual([]);
  });
});

describe('case folders', () => {
  test('there are at least 35 cases, each with a kube capture and findings for every check it is about', () => {
    // Prepare: a check always gives a finding, so every check a case is about has at least one expected finding
    const everyCheck: readonly string[] = Object.values(CheckId);

    // Act
    const withoutCapture = cases.filter((dir) => caseSources(dir).kube.length === 0).map((dir) => basename(dir));
    const expectations = cases.map((dir) => [basename(dir), caseExpectation(dir)] as const);
    const missingChecks = expectations
      .map(([name, { checks = everyCheck, findings }]) => [name, checks.filter((id) => !findings.some((want) => want.check_id === id))])
      .filter(([, missing]) => missing.length > 0);
    const unknownChecks = expectations.flatMap(([name, { checks = [] }]) => checks.filter((id) => !everyCheck.includes(id)).map((id) => `${name}: ${id}`));
    const complete = expectations.filter(([, { checks }]) => checks === undefined);

    // Assess
    expect(cases.length).toBeGreaterThanOrEqual(35);
    expect(withoutCapture).toEqual([]);
    expect(missingChecks).toEqual([]);
    expect(unknownChecks).toEqual([]);
    expect(complete.length).toBeGreaterThanOrEqual(5);
  });

  test('every evidence key of every case, at any depth, is snake_case like the finding record', async () => {
    // Prepare
    const audits = cases.map(async (dir) => auditSnapshot(await loadOfflineSnapshot(caseSources(dir), () => undefined), caseOptions(dir)));

    // Act
    const offending = (await Promise.all(audits))
      .flat()
      .flatMap((found) => nonSnakeKeys(found.evidence, `${found.check_id} evidence`));

    // Assess
    expect([...new Set(offending)]).toEqual([]);
  });

  test('sources sort a folder into EKS describe output and kube captures, first capture first', () => {
    // Prepare
    const addonCase = `${CASES_DIR}/addon-flag-json-string-decides-without-daemonsets`;
    const multiFileCase = `${CASES_DIR}/several-capture-files-merge-and-first-names-cluster`;

    // Act
    const addonSources = caseSources(addonCase);
    const multiFileSources = caseSources(multiFileCase);

    // Assess
    expect(addonSources).toEqual({
      kube: [`${addonCase}/cluster.json`],
      eksCluster: `${addonCase}/eks-cluster.json`,
      eksAddons: [`${addonCase}/addon-vpc-cni.json`],
    });
    expect(multiFileSources).toEqual({ kube: [`${multiFileCase}/apps.yaml`, `${multiFileCase}/kube-system.json`], eksAddons: [] });
  });

  test('options come from options.json when present, else the default exclusions, with a fixed run identity', () => {
    // Prepare
    const strict = `${CASES_DIR}/strict-cis-audits-kube-system`;
    const defaults = `${CASES_DIR}/default-exclusions-skip-system-namespaces`;

    // Act
    const strictOptions = caseOptions(strict);
    const defaultOptions = caseOptions(defaults);

    // Assess
    expect(strictOptions.excludedNamespaces).toEqual([]);
    expect(defaultOptions.excludedNamespaces).toEqual(['kube-system', 'kube-public', 'kube-node-lease']);
    expect(defaultOptions.runId).toBe('test-run');
    expect(defaultOptions.observedAt.toISOString()).toBe(strictOptions.observedAt.toISOString());
  });
});

describe('comparing findings with a case', () => {
  function finding(checkId: Finding['check_id'], status: Finding['status'], namespace: string | null, name: string, kind: string): Finding {
    return {
      schema_version: '1.0',
      finding_id: `${checkId}-${name}`,
      run_id: 'test-run',
      observed_at: '2025-06-02T06:00:00.000Z',
      control_id: 'C-0230',
      check_id: checkId,
      status,
      severity: 'Medium',
      title: checkId,
      message: `${kind} ${name} is ${status}: they are inert`,
      remediation: '',
      cluster: { name: 'cluster', arn: null, account_id: null, region: null },
      resource: { kind, namespace, name },
      evidence: { enforced: false, pods: ['a', 'b'], drift: 'add-on on, agent off' },
      requirements: ['CIS EKS 5.4.4'],
      first_seen: '2025-06-02T06:00:00.000Z',
      change: null,
      suppression: null,
    };
  }

  test('agreement gives no difference', () => {
    // Prepare
    const actual = [finding('engine', 'FAIL', null, 'cluster', 'Cluster'), finding('workload-coverage', 'PASS', 'shop', 'web', 'Deployment')];
    const expected: ExpectedFinding[] = [
      { check_id: 'engine', status: 'FAIL', resource: 'Cluster cluster', message_includes: 'inert', evidence_keys: ['drift'] },
      { check_id: 'workload-coverage', status: 'PASS', resource: 'Deployment shop/web', evidence: { enforced: false, pods: ['a', 'b'] } },
    ];

    // Act
    const differences = compareFindings(expected, actual);

    // Assess
    expect(differences).toEqual([]);
  });

  test('a wrong status shows as one missing and one extra finding, and a duplicate as extra', () => {
    // Prepare
    const actual = [
      finding('workload-coverage', 'FAIL', 'shop', 'web', 'Deployment'),
      finding('engine', 'PASS', null, 'cluster', 'Cluster'),
      finding('engine', 'PASS', null, 'cluster', 'Cluster'),
    ];
    const expected: ExpectedFinding[] = [
      { check_id: 'workload-coverage', status: 'PASS', resource: 'Deployment shop/web' },
      { check_id: 'engine', status: 'PASS', resource: 'Cluster cluster' },
    ];

    // Act
    const differences = compareFindings(expected, actual);

    // Assess
    expect(differences).toEqual([
      'missing: workload-coverage PASS Deployment shop/web',
      'extra:   workload-coverage FAIL Deployment shop/web (Deployment web is FAIL: they are inert)',
      'extra:   engine PASS Cluster cluster (Cluster cluster is PASS: they are inert)',
    ]);
  });

  test('message, evidence and evidence keys that do not hold are each reported', () => {
    // Prepare
    const actual = [finding('engine', 'FAIL', null, 'cluster', 'Cluster')];
    const expected: ExpectedFinding[] = [
      {
        check_id: 'engine',
        status: 'FAIL',
        resource: 'Cluster cluster',
        message_includes: 'no engine',
        evidence: { pods: ['a'] },
        evidence_keys: ['enforcing_mode'],
      },
    ];

    // Act
    const differences = compareFindings(expected, actual);

    // Assess
    expect(differences.map((line) => line.split(':')[0])).toEqual(['message', 'evidence', 'evidence']);
    expect(differences[2]).toContain('lacks enforcing_mode');
  });
});
