import type { Finding } from '../../lambda/audit/finding.js';
import { MAX_MESSAGE_BYTES, TOP_FAILURES_PER_CHECK, buildAlert, type AlertInput } from '../../lambda/report/alert.js';
import { finding, findingCluster } from './fixtures.js';

const LOCATION = { bucket: 'audit-bucket', prefix: 'findings', keys: ['findings/dt=2024-05-01/run-1-123456789012-eu-west-1-prod.jsonl.gz'] };

function input(overrides: Partial<AlertInput>): AlertInput {
  return { runId: 'run-1', findings: [], failedClusters: [], threshold: 'Medium', alertOn: 'all', location: LOCATION, ...overrides };
}

function control(cluster: string, status: Finding['status'], message: string): Finding {
  return finding({ check_id: 'control', status, message, cluster: findingCluster(cluster), resource: { kind: 'Cluster', namespace: null, name: cluster } });
}

function namespaceFailure(cluster: string, namespace: string, remediation = 'Apply a default-deny policy.'): Finding {
  return finding({
    cluster: findingCluster(cluster),
    check_id: 'namespace-coverage',
    message: `namespace ${namespace} has no NetworkPolicy`,
    remediation,
    resource: { kind: 'Namespace', namespace: null, name: namespace },
  });
}

function lowFailure(cluster: string, name: string): Finding {
  return finding({
    cluster: findingCluster(cluster),
    check_id: 'permissive-policy',
    severity: 'Low',
    message: `policy ${name} admits all ingress`,
    remediation: 'Restrict the ingress rule to named peers.',
    resource: { kind: 'NetworkPolicy', namespace: 'team-a', name },
  });
}

function occurrences(text: string, part: string): number {
  return text.split(part).length - 1;
}

describe('buildAlert', () => {
  it('sends nothing when only Low failures exist under a Medium threshold', () => {
    // Prepare
    const findings = [control('prod', 'PASS', 'all Medium checks pass'), lowFailure('prod', 'allow-all')];

    // Act
    const alert = buildAlert(input({ findings }));

    // Assess
    expect(alert).toBeUndefined();
  });

  it('alerts when a cluster could not be audited, even with no failure', () => {
    // Prepare
    const findings = [control('prod', 'PASS', 'all Medium checks pass')];
    const failedClusters = [{ cluster: { name: 'staging', region: 'eu-west-1' }, reason: 'cluster is CREATING: the Kubernetes API cannot be audited until it is ACTIVE' }];

    // Act
    const alert = buildAlert(input({ findings, failedClusters }));

    // Assess
    expect(alert?.subject).toBe('[C-0230] 2 clusters: 1 not audited');
    expect(alert?.attributes).toEqual({ severity: 'Medium', control_id: 'C-0230' });
    expect(alert?.message).toContain(
      'Not audited (1):\n  - staging (eu-west-1): cluster is CREATING: the Kubernetes API cannot be audited until it is ACTIVE\n',
    );
  });

  it('tells same-named clusters of two accounts apart, audited or not', () => {
    // Prepare
    const findings = ['111122223333', '444455556666'].map((account) =>
      finding({ check_id: 'control', status: 'FAIL', message: `prod of ${account} fails`, cluster: findingCluster('prod', 'eu-west-1', account), resource: { kind: 'Cluster', namespace: null, name: 'prod' } }),
    );
    const failedClusters = [{ cluster: { name: 'prod', region: 'eu-west-1', accountId: '777788889999' }, reason: 'member role missing' }];

    // Act
    const alert = buildAlert(input({ findings, failedClusters }));

    // Assess
    expect(alert?.subject).toBe('[C-0230] 3 clusters: 1 not audited');
    expect(alert?.message).toContain('prod (eu-west-1, account 111122223333): FAIL: prod of 111122223333 fails\n');
    expect(alert?.message).toContain('prod (eu-west-1, account 444455556666): FAIL: prod of 444455556666 fails\n');
    expect(alert?.message).toContain('  - prod (eu-west-1, account 777788889999): member role missing\n');
  });

  it('counts failures per severity at or above the threshold in a subject under 100 characters', () => {
    // Prepare
    const findings = [
      control('prod', 'FAIL', 'namespaces lack policies'),
      namespaceFailure('prod', 'team-a'),
      namespaceFailure('prod', 'team-b'),
      lowFailure('prod', 'allow-all'),
      finding({ check_id: 'dangling-policy', severity: 'Informational', resource: { kind: 'NetworkPolicy', namespace: 'team-a', name: 'old' } }),
    ];

    // Act
    const alert = buildAlert(input({ findings, threshold: 'Low' }));

    // Assess
    expect(alert?.subject).toBe('[C-0230] 1 cluster: 2 Medium, 1 Low failures');
    expect(alert?.attributes.severity).toBe('Medium');
  });

  it('keeps the subject under 100 characters whatever the counts', () => {
    // Prepare
    const many = <T,>(count: number, make: (index: number) => T): T[] => Array.from({ length: count }, (_, index) => make(index));
    const findings = [
      ...many(12_345, (index) => namespaceFailure(`cluster-${index % 1234}`, `ns-${index}`)),
      ...many(12_345, (index) => lowFailure(`cluster-${index % 1234}`, `p-${index}`)),
      ...many(12_345, (index) =>
        finding({
          severity: 'Informational',
          check_id: 'dangling-policy',
          cluster: findingCluster(`cluster-${index % 1234}`),
          resource: { kind: 'NetworkPolicy', namespace: 'a', name: `d-${index}` },
        }),
      ),
    ];
    const failedClusters = many(1234, (index) => ({ cluster: { name: `broken-${index}` }, reason: 'unreachable' }));

    // Act
    const alert = buildAlert(input({ findings, failedClusters, threshold: 'Informational' }));

    // Assess
    expect(alert?.subject).toBe('[C-0230] 2468 clusters: 12345 Medium, 12345 Low, 12345 Informational failures, 1234 not audited');
    expect(alert!.subject.length).toBeLessThan(100);
  });

  it('takes the highest failing severity as the severity attribute', () => {
    // Prepare
    const findings = [control('prod', 'PASS', 'ok'), lowFailure('prod', 'allow-all')];

    // Act
    const alert = buildAlert(input({ findings, threshold: 'Low' }));

    // Assess
    expect(alert?.attributes).toEqual({ severity: 'Low', control_id: 'C-0230' });
  });

  it('groups failures under their cluster with its control verdict, Medium before Low', () => {
    // Prepare
    const findings = [
      lowFailure('prod', 'allow-all'),
      namespaceFailure('dev', 'sandbox'),
      control('dev', 'FAIL', 'dev: 1 namespace without policy'),
      namespaceFailure('prod', 'team-a'),
      control('prod', 'FAIL', 'prod: 1 namespace without policy'),
      control('quiet', 'PASS', 'quiet: all checks pass'),
    ];

    // Act
    const alert = buildAlert(input({ findings, threshold: 'Low' }));

    // Assess
    const clusterPart = alert!.message.split('\n\n')[1];
    expect(clusterPart).toBe(
      [
        'dev (eu-west-1, account 123456789012): FAIL: dev: 1 namespace without policy',
        '  [Medium] namespace-coverage: 1 failure',
        '    - Namespace sandbox: namespace sandbox has no NetworkPolicy',
        '    Remediation: Apply a default-deny policy.',
        'prod (eu-west-1, account 123456789012): FAIL: prod: 1 namespace without policy',
        '  [Medium] namespace-coverage: 1 failure',
        '    - Namespace team-a: namespace team-a has no NetworkPolicy',
        '    Remediation: Apply a default-deny policy.',
        '  [Low] permissive-policy: 1 failure',
        '    - NetworkPolicy team-a/allow-all: policy allow-all admits all ingress',
        '    Remediation: Restrict the ingress rule to named peers.',
        'quiet (eu-west-1, account 123456789012): PASS: quiet: all checks pass',
      ].join('\n'),
    );
  });

  it('gives each check\'s remediation once, not once per resource', () => {
    // Prepare
    const remediation = 'kubectl apply -f default-deny.yaml\n(one manifest per namespace)';
    const findings = [control('prod', 'FAIL', 'x'), ...['a', 'b', 'c'].map((ns) => namespaceFailure('prod', ns, remediation))];

    // Act
    const alert = buildAlert(input({ findings }));

    // Assess
    expect(occurrences(alert!.message, 'kubectl apply -f default-deny.yaml')).toBe(1);
    expect(alert!.message).toContain('    Remediation: kubectl apply -f default-deny.yaml\n    (one manifest per namespace)\n');
  });

  it('gives each failure its own remediation, grouping the failures that share one', () => {
    // Prepare
    const findings = [
      control('prod', 'FAIL', 'x'),
      namespaceFailure('prod', 'a', 'Isolate namespace a.'),
      namespaceFailure('prod', 'b', 'Isolate with a default deny.'),
      namespaceFailure('prod', 'c', 'Isolate with a default deny.'),
    ];

    // Act
    const alert = buildAlert(input({ findings }));

    // Assess
    expect(alert!.message).toContain('    Remediation for Namespace a: Isolate namespace a.\n    Remediation for Namespace b, Namespace c: Isolate with a default deny.\n');
  });

  it('lists the top failures of a check and counts the rest', () => {
    // Prepare
    const findings = Array.from({ length: TOP_FAILURES_PER_CHECK + 5 }, (_, index) => namespaceFailure('prod', `ns-${String(index).padStart(2, '0')}`));

    // Act
    const alert = buildAlert(input({ findings }));

    // Assess
    expect(occurrences(alert!.message, '    - Namespace ns-')).toBe(TOP_FAILURES_PER_CHECK);
    expect(alert!.message).toContain('    … and 5 more namespace-coverage failures in this cluster\n');
  });

  it('ends with where the findings are and a ready query for this run', () => {
    // Prepare
    const findings = [namespaceFailure('prod', 'team-a')];

    // Act
    const alert = buildAlert(input({ findings, athena: { database: 'netpol_audit', table: 'findings', workgroup: 'netpol-auditor' } }));

    // Assess
    expect(alert!.message).toContain('Full findings (gzipped JSON Lines):\n  s3://audit-bucket/findings/dt=2024-05-01/run-1-123456789012-eu-west-1-prod.jsonl.gz\n');
    expect(alert!.message).toContain("This run's failures in Athena (workgroup netpol-auditor):\nSELECT ");
    expect(alert!.message).toContain('FROM "netpol_audit"."findings"\n');
    expect(alert!.message).toContain("WHERE dt = '2024-05-01' AND run_id = 'run-1' AND status = 'FAIL'");
  });

  it("queries the partition the objects were filed under, not the day of observed_at (a retry after midnight)", () => {
    // Prepare: the run's event was on 2024-04-30; the retry that observed these findings ran on 2024-05-01
    const findings = [namespaceFailure('prod', 'team-a')];
    const keys = ['findings/dt=2024-04-30/run-1-123456789012-eu-west-1-prod.jsonl.gz'];

    // Act
    const alert = buildAlert(input({ findings, location: { ...LOCATION, keys }, athena: { database: 'd', table: 't', workgroup: 'w' } }));

    // Assess
    expect(alert!.message).toContain("WHERE dt = '2024-04-30' AND run_id = 'run-1'");
  });

  it('never carries a token found in a failure reason', () => {
    // Prepare
    const failedClusters = [
      { cluster: { name: 'prod' }, reason: 'GET /api failed: Authorization: Bearer k8s-aws-v1.aHR0cHM6Ly9zdHMuYW1hem9uYXdzLmNvbS8_QWN0aW9u rejected' },
    ];

    // Act
    const alert = buildAlert(input({ failedClusters }));

    // Assess
    expect(alert!.message).not.toContain('aHR0cHM6Ly9zdHMuYW1hem9uYXdzLmNvbS8_QWN0aW9u');
    expect(alert!.message).toContain('Authorization: <redacted> rejected');
  });

  it('cuts an oversized text between characters, never inside a multi-byte one', () => {
    // Prepare
    const findings = [finding({ message: `名前空間🔒${'名前空間🔒'.repeat(2000)}` })];

    // Act
    const alert = buildAlert(input({ findings }));

    // Assess
    const line = alert!.message.split('\n').find((text) => text.startsWith('    - Namespace team-a: '))!;
    expect(line.endsWith('…')).toBe(true);
    expect(Buffer.byteLength(line)).toBeLessThan(1100);
    expect(Buffer.from(line, 'utf8').toString('utf8')).toBe(line);
    expect(line).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  });

  it('stays under the SNS limit with 20,000 failures and says how many more there are', () => {
    // Prepare
    const clusters = 2000;
    const findings = Array.from({ length: 20_000 }, (_, index) =>
      finding({
        cluster: findingCluster(`cluster-${index % clusters}`),
        message: `l'espace de noms «équipe-${index}» n'a aucune NetworkPolicy 🔓`,
        resource: { kind: 'Namespace', namespace: null, name: `équipe-${index}` },
      }),
    );

    // Act
    const alert = buildAlert(input({ findings, athena: { database: 'db', table: 'findings', workgroup: 'wg' } }))!;

    // Assess
    const bytes = Buffer.byteLength(alert.message) + Buffer.byteLength(alert.subject) + Buffer.byteLength(JSON.stringify(alert.attributes));
    expect(Buffer.byteLength(alert.message)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(bytes).toBeLessThan(256 * 1024);
    const listed = occurrences(alert.message, '    - Namespace ');
    const more = /\n… and (\d+) more failures \(all are in the findings below\)\n/.exec(alert.message);
    expect(Number(more?.[1])).toBe(20_000 - listed);
    expect(listed).toBeGreaterThan(1000);
    expect(alert.message).toContain("run_id = 'run-1'");
  });
});
