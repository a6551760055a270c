import { CheckId, Severity, Status, type Finding } from '../../lambda/audit/finding.js';
import { renderTable } from '../../lambda/report/table.js';

const cluster = { name: 'shop-eu', arn: 'arn:aws:eks:eu-west-1:111122223333:cluster/shop-eu', account_id: '111122223333', region: 'eu-west-1' };

/** A finding of the shop-eu cluster; only what a test is about needs to be given. */
function finding(check: CheckId, status: Finding['status'], resource: Partial<Finding['resource']>, extra: Partial<Finding> = {}): Finding {
  return {
    schema_version: '1.0',
    finding_id: `${check}-${resource.name}`,
    run_id: '20261126T172105Z-3f9a1c',
    observed_at: '2026-11-26T17:21:05.000Z',
    control_id: 'C-0230',
    check_id: check,
    status,
    severity: Severity.Medium,
    title: `title of ${check}`,
    message: `${check} says ${status} for ${resource.name}`,
    remediation: `remedy for ${resource.name}`,
    cluster,
    resource: { kind: 'Namespace', namespace: null, name: 'x', ...resource },
    evidence: {},
    requirements: ['CIS EKS 5.4.4'],
    first_seen: '2026-11-26T17:21:05.000Z',
    change: null,
    suppression: null,
    ...extra,
  };
}

const control = (status: Finding['status'], extra: Partial<Finding> = {}) =>
  finding(CheckId.Control, status, { kind: 'Cluster', name: 'shop-eu' }, { title: 'Network policy is enabled and set as appropriate (C-0230)', message: 'C-0230 fails: namespace-coverage 2 FAIL.', ...extra });

describe('table report', () => {
  test('the control verdict comes first, then the counts, then the failures', () => {
    // Prepare
    const findings = [
      finding(CheckId.NamespaceCoverage, Status.Fail, { name: 'analytics' }),
      finding(CheckId.NamespaceCoverage, Status.Pass, { name: 'shop' }),
      control(Status.Fail),
    ];

    // Act
    const lines = renderTable(findings, { color: false }).split('\n');

    // Assess
    expect(lines.slice(0, 4)).toEqual([
      'Cluster shop-eu  (eu-west-1, account 111122223333)',
      '  Network policy is enabled and set as appropriate (C-0230): FAIL',
      '    C-0230 fails: namespace-coverage 2 FAIL.',
      '  Findings: 1 FAIL, 0 UNKNOWN, 1 PASS',
    ]);
    expect(lines.findIndex((line) => line.includes('Namespace analytics'))).toBeGreaterThan(3);
  });

  test('failures are grouped by check, most severe first, each with its own remediation', () => {
    // Prepare
    const low = { severity: Severity.Low };
    const findings = [
      control(Status.Fail),
      finding(CheckId.DefaultDeny, Status.Fail, { name: 'web' }, low),
      finding(CheckId.NamespaceCoverage, Status.Fail, { name: 'analytics' }),
      finding(CheckId.NamespaceCoverage, Status.Fail, { name: 'default' }),
    ];

    // Act
    const text = renderTable(findings, { color: false });

    // Assess
    const headings = text.split('\n').filter((line) => line.startsWith('  FAIL'));
    expect(headings).toEqual([
      '  FAIL  Medium  namespace-coverage (2): title of namespace-coverage',
      '  FAIL  Low  default-deny (1): title of default-deny',
    ]);
    expect(text).toContain('    - Namespace analytics: namespace-coverage says FAIL for analytics\n    - Namespace default:');
    expect(text).toContain('    Fix for Namespace analytics: remedy for analytics\n    Fix for Namespace default: remedy for default\n');
    expect(text).toContain('    Fix: remedy for web\n');
  });

  test('failures that share a remediation are named together, and one shared by all is said once', () => {
    // Prepare
    const shared = { remediation: 'apply a default deny' };
    const findings = [
      control(Status.Fail),
      finding(CheckId.NamespaceCoverage, Status.Fail, { name: 'a' }, shared),
      finding(CheckId.NamespaceCoverage, Status.Fail, { name: 'b' }, shared),
      finding(CheckId.NamespaceCoverage, Status.Fail, { name: 'c' }),
      finding(CheckId.DefaultDeny, Status.Fail, { name: 'a' }, { ...shared, severity: Severity.Low }),
      finding(CheckId.DefaultDeny, Status.Fail, { name: 'b' }, { ...shared, severity: Severity.Low }),
    ];

    // Act
    const text = renderTable(findings, { color: false });

    // Assess
    expect(text).toContain('    Fix for Namespace a, Namespace b: apply a default deny\n    Fix for Namespace c: remedy for c\n');
    expect(text.match(/Fix: apply a default deny/g)).toHaveLength(1);
  });

  test('the header names the namespaces the control excluded, or says none were', () => {
    // Prepare
    const withExclusions = control(Status.Pass, { evidence: { excluded_namespaces: ['kube-system', 'tools'] } });
    const strict = control(Status.Pass, { evidence: { excluded_namespaces: [] } });

    // Act
    const [excluded, none] = [withExclusions, strict].map((verdict) => renderTable([verdict], { color: false }));

    // Assess
    expect(excluded).toContain('\n    Excluded namespaces: kube-system, tools\n');
    expect(none).toContain('\n    Excluded namespaces: none (every namespace is audited)\n');
  });

  test('PASS findings are counted per check, never listed', () => {
    // Prepare
    const findings = [
      control(Status.Pass),
      finding(CheckId.NamespaceCoverage, Status.Pass, { name: 'shop' }),
      finding(CheckId.NamespaceCoverage, Status.Pass, { name: 'payments' }),
      finding(CheckId.Engine, Status.Pass, { kind: 'Cluster', name: 'shop-eu' }, { message: 'enforced by aws-vpc-cni' }),
    ];

    // Act
    const text = renderTable(findings, { color: false });

    // Assess
    expect(text).toContain('  PASS  3: engine 1, namespace-coverage 2\n');
    expect(text).not.toMatch(/payments|Namespace shop/);
  });

  test('UNKNOWN findings are listed with their reasons, and the engine verdict follows the control verdict', () => {
    // Prepare
    const findings = [
      control(Status.Unknown),
      finding(CheckId.Engine, Status.Unknown, { kind: 'Cluster', name: 'shop-eu' }, { message: 'Not evaluated: DaemonSets were not read.' }),
    ];

    // Act
    const lines = renderTable(findings, { color: false }).split('\n');

    // Assess
    expect(lines[3]).toBe('    Engine: Not evaluated: DaemonSets were not read.');
    expect(lines).toContain('    - engine, Cluster shop-eu: Not evaluated: DaemonSets were not read.');
  });

  test('a multi-line remediation shows its first line and points to the full text', () => {
    // Prepare
    const manifest = 'Isolate namespace analytics with a default-deny policy.\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy';
    const findings = [control(Status.Fail), finding(CheckId.NamespaceCoverage, Status.Fail, { name: 'analytics' }, { remediation: manifest })];

    // Act
    const text = renderTable(findings, { color: false });

    // Assess
    expect(text).toContain('    Fix: Isolate namespace analytics with a default-deny policy.\n         (the full remediation is in --format json)\n');
    expect(text).not.toContain('apiVersion');
  });

  test('without colour there are no ANSI codes; with colour the statuses are coloured', () => {
    // Prepare
    const findings = [control(Status.Fail), finding(CheckId.NamespaceCoverage, Status.Fail, { name: 'analytics' })];

    // Act
    const plain = renderTable(findings, { color: false });
    const coloured = renderTable(findings, { color: true });

    // Assess
    expect(plain).not.toMatch(/\u001b\[/);
    expect(coloured).toContain('\u001b[31mFAIL\u001b[0m');
  });

  test('prose is wrapped to the width, continuation lines indented under their item', () => {
    // Prepare
    const message = Array.from({ length: 60 }, (_, index) => `word${index}`).join(' ');
    const findings = [control(Status.Fail), finding(CheckId.NamespaceCoverage, Status.Fail, { name: 'analytics' }, { message })];

    // Act
    const lines = renderTable(findings, { color: false }).trimEnd().split('\n');

    // Assess
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(100);
    const item = lines.findIndex((line) => line.startsWith('    - Namespace analytics'));
    expect(lines[item + 1]).toMatch(/^ {6}word\d+/);
  });

  test('each cluster gets its own section', () => {
    // Prepare
    const other = { name: 'shop-us', arn: null, account_id: null, region: null };
    const findings = [control(Status.Pass), { ...control(Status.Fail), cluster: other }];

    // Act
    const text = renderTable(findings, { color: false });

    // Assess
    expect(text.split('\n').filter((line) => line.startsWith('Cluster '))).toEqual([
      'Cluster shop-eu  (eu-west-1, account 111122223333)',
      'Cluster shop-us',
    ]);
  });

  test('no findings say so', () => {
    // Act
    const text = renderTable([], { color: false });

    // Assess
    expect(text).toBe('No findings.\n');
  });

  test('control characters in names from the cluster are escaped, never sent to the terminal', () => {
    // Prepare: a namespace name crafted to clear the screen and reorder text
    const name = 'evil\u001b[2J\u0007\u202ehidden';
    const findings = [finding(CheckId.NamespaceCoverage, Status.Fail, { name }), control(Status.Fail)];

    // Act
    const table = renderTable(findings, { color: false });

    // Assess
    expect(table).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(table).toContain('    - Namespace evil\\x1b[2J\\x07\\u202ehidden: namespace-coverage says FAIL for\n');
  });

  test('a suppressed failure is counted apart and listed apart with its reason, expiry and entry', () => {
    // Prepare
    const accepted = { suppression: { reason: 'BI sandbox, isolated by its VPC', expires: '2027-01-31', entry: 'suppressions.yaml#2' } };
    const findings = [
      control(Status.Fail),
      finding(CheckId.NamespaceCoverage, Status.Fail, { name: 'default' }),
      finding(CheckId.NamespaceCoverage, Status.Fail, { name: 'analytics' }, accepted),
      finding(CheckId.DefaultDeny, Status.Fail, { name: 'analytics' }, { ...accepted, severity: Severity.Low }),
      finding(CheckId.NamespaceCoverage, Status.Pass, { name: 'shop' }),
    ];

    // Act
    const lines = renderTable(findings, { color: false }).split('\n');

    // Assess
    expect(lines[3]).toBe('  Findings: 1 FAIL, 2 suppressed, 0 UNKNOWN, 1 PASS');
    expect(lines.filter((line) => line.startsWith('  FAIL'))).toEqual([
      '  FAIL  Medium  namespace-coverage (1): title of namespace-coverage',
      '  FAIL  suppressed (2): accepted by a suppression entry, they change neither the exit status nor the',
    ]);
    const listed = lines.slice(lines.findIndex((line) => line.startsWith('  FAIL  suppressed')));
    expect(listed.slice(2, 4)).toEqual([
      '    - namespace-coverage, Namespace analytics: suppressed until 2027-01-31 by suppressions.yaml#2:',
      '      BI sandbox, isolated by its VPC',
    ]);
    expect(listed[4]).toBe('    - default-deny, Namespace analytics: suppressed until 2027-01-31 by suppressions.yaml#2: BI');
    expect(lines.filter((line) => line.includes('Namespace analytics'))).toHaveLength(2);
  });

  test('without suppressed failures, the counts and the sections are as before', () => {
    // Prepare
    const findings = [control(Status.Fail), finding(CheckId.NamespaceCoverage, Status.Fail, { name: 'default' })];

    // Act
    const text = renderTable(findings, { color: false });

    // Assess
    expect(text).toContain('  Findings: 1 FAIL, 0 UNKNOWN, 0 PASS\n');
    expect(text).not.toContain('suppressed');
  });
});
