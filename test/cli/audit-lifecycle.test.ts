/**
 * The finding lifecycle on the command line: --suppressions, --previous over --output folders of earlier runs, and the
 * saved query of new failures run by DuckDB over those folders.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runAuditCommand } from '../../cli/audit-command.js';
import { CheckId, type Finding } from '../../lambda/audit/finding.js';
import { findingsTable, queryRows, savedQuerySql } from '../support/findings-duckdb.js';
import { capturedIo, EXAMPLE, EXAMPLE_FLAGS, exampleSubset, temporaryFolderForTests } from './audit-helpers.js';

const folder = temporaryFolderForTests();

function parsed(jsonl: string): Finding[] {
  return jsonl
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Finding);
}

const label = (finding: Finding) => `${finding.check_id} ${finding.resource.kind} ${finding.resource.namespace ?? ''}/${finding.resource.name}`;

async function suppressionsFile(name: string, text: string): Promise<string> {
  const path = join(folder(), name);
  await writeFile(path, text);
  return path;
}

describe('--suppressions', () => {
  // Every Medium failure of the example is accepted, the Low ones are not.
  const ACCEPT_MEDIUM = [
    '- {check: "*coverage", namespace: analytics, reason: BI sandbox, expires: 2999-12-31}',
    '- {check: "*coverage", namespace: web, name: legacy-admin, reason: retired next quarter, expires: 2999-12-31}',
    '- {check: namespace-coverage, kind: Namespace, name: analytics, reason: BI sandbox, expires: 2999-12-31}',
    '- {check: namespace-coverage, kind: Namespace, name: default, reason: nothing runs in default, expires: 2999-12-31}',
  ].join('\n');

  test('marks the accepted failures, keeps their status, and does not fail the run with them', async () => {
    // Prepare
    const file = await suppressionsFile('accept-medium.yaml', ACCEPT_MEDIUM);
    const { io, stdout, stderr } = capturedIo();

    // Act
    const status = await runAuditCommand([...EXAMPLE_FLAGS, '--suppressions', file, '--format', 'jsonl'], io);

    // Assess
    const findings = parsed(stdout());
    const suppressedMedium = findings.filter((finding) => finding.severity === 'Medium' && finding.suppression !== null);
    expect(status).toBe(0);
    expect(suppressedMedium.every((finding) => finding.status === 'FAIL')).toBe(true);
    expect(suppressedMedium.map(label).sort()).toEqual([
      'namespace-coverage Namespace /analytics',
      'namespace-coverage Namespace /default',
      'workload-coverage CronJob analytics/nightly-report',
      'workload-coverage Deployment analytics/metabase',
      'workload-coverage Deployment web/legacy-admin',
    ]);
    expect(findings.find((finding) => finding.check_id === CheckId.Control)?.status).toBe('PASS');
    expect(stderr()).toBe('');
  });

  test('the table counts and lists the accepted failures apart, with their reasons', async () => {
    // Prepare
    const file = await suppressionsFile('accept-medium-table.yaml', ACCEPT_MEDIUM);
    const { io, stdout } = capturedIo();

    // Act
    const status = await runAuditCommand([...EXAMPLE_FLAGS, '--suppressions', file, '--format', 'table'], io);

    // Assess: the text as one line, since the table wraps it
    const lines = stdout().split('\n');
    const text = stdout().replace(/\s+/g, ' ');
    expect(status).toBe(0);
    expect(lines).toContain('  Findings: 10 FAIL, 8 suppressed, 0 UNKNOWN, 54 PASS');
    expect(lines.filter((line) => line.startsWith('  FAIL  Medium'))).toEqual([]);
    expect(lines.filter((line) => line.startsWith('    - ') && line.includes(': suppressed until 2999-12-31 by'))).toHaveLength(8);
    expect(text).toContain(`- workload-coverage, Deployment web/legacy-admin: suppressed until 2999-12-31 by ${file}#2: retired next quarter`);
    expect(text).toContain(`- namespace-coverage, Namespace default: suppressed until 2999-12-31 by ${file}#4: nothing runs in default`);
  });

  test('names the expired entry and the entry that matched nothing on stderr', async () => {
    // Prepare
    const file = await suppressionsFile(
      'stale.yaml',
      '- {namespace: analytics, reason: old, expires: 2020-01-31}\n- {namespace: gone-namespace, reason: r, expires: 2999-12-31}\n',
    );
    const { io, stderr } = capturedIo();

    // Act
    const status = await runAuditCommand([...EXAMPLE_FLAGS, '--suppressions', file], io);

    // Assess: nothing applies, so the Medium failures fail the run.
    expect(status).toBe(1);
    expect(stderr()).toBe(
      `warning: suppression ${file}#1 (namespace analytics) expired on 2020-01-31 and no longer applies\n` +
        `warning: suppression ${file}#2 (namespace gone-namespace) matched no finding\n`,
    );
  });

  test('refuses an entry without a reason with exit status 2, naming the file and the entry, before auditing', async () => {
    // Prepare
    const file = await suppressionsFile('no-reason.yaml', '- {namespace: analytics, expires: 2999-12-31}\n');
    const { io, stdout, stderr } = capturedIo();

    // Act
    const status = await runAuditCommand([...EXAMPLE_FLAGS, '--suppressions', file], io);

    // Assess
    expect(status).toBe(2);
    expect(stdout()).toBe('');
    expect(stderr()).toBe(`error: ${file}: entry 1 (namespace analytics): no reason: say why the risk is accepted\n`);
  });

  test('names a suppressions file that does not exist', async () => {
    const { io, stderr } = capturedIo();

    const status = await runAuditCommand([...EXAMPLE_FLAGS, '--suppressions', 'no-such.yaml'], io);

    expect([status, stderr()]).toEqual([2, 'error: no-such.yaml: no such file\n']);
  });
});

describe('--previous', () => {
  test('two runs over changed captures say new, ongoing and resolved, and carry first_seen', async () => {
    // Prepare: day 1 has analytics and web; on day 2 analytics is gone and shop arrived.
    const store = join(folder(), 'store');
    const day1 = await exampleSubset(folder(), ['analytics', 'web']);
    const day2 = await exampleSubset(folder(), ['web', 'shop']);
    const eks = ['--eks-cluster', EXAMPLE.eksCluster, '--eks-addon', EXAMPLE.eksAddon];
    const first = capturedIo();
    await runAuditCommand(['--kube', day1, ...eks, '--output', store, '--format', 'jsonl'], first.io);
    const second = capturedIo();

    // Act
    await runAuditCommand(['--kube', day2, ...eks, '--output', store, '--previous', store, '--format', 'jsonl'], second.io);

    // Assess
    const before = parsed(first.stdout());
    const after = parsed(second.stdout());
    const byLabel = new Map(after.map((finding) => [label(finding), finding]));
    const firstObserved = before[0]?.observed_at;
    expect(byLabel.get('workload-coverage Deployment web/legacy-admin')).toMatchObject({ status: 'FAIL', change: 'ongoing', first_seen: firstObserved });
    expect(byLabel.get('namespace-coverage Namespace /analytics')).toMatchObject({
      status: 'PASS',
      change: 'resolved',
      evidence: { gone: true, previous_run_id: before[0]?.run_id },
    });
    expect(byLabel.get('workload-coverage Deployment analytics/metabase')?.change).toBe('resolved');
    const shopEgress = after.filter((finding) => finding.check_id === CheckId.WorkloadEgressCoverage && finding.resource.namespace === 'shop');
    expect(shopEgress.length).toBeGreaterThan(0);
    expect(shopEgress.every((finding) => finding.status === 'FAIL' && finding.change === 'new' && finding.first_seen === finding.observed_at)).toBe(true);
    expect(second.stderr()).not.toMatch(/--previous|suppression/);

    // Act: the saved query over both runs' folders.
    const connection = await findingsTable(store, 'findings');
    const newFailures = await queryRows(connection, savedQuerySql('new-failures-per-day', 'findings'));
    connection.closeSync();

    // Assess: day 2's new shop failures only. Day 1 ran without --previous, so its findings say nothing (change null).
    const secondRun = after[0]?.run_id;
    const newOnDay2 = newFailures.filter((row) => row.run_id === secondRun);
    expect(newOnDay2.map((row) => row.resource_namespace).every((namespace) => namespace === 'shop')).toBe(true);
    expect(newOnDay2).toHaveLength(after.filter((finding) => finding.change === 'new').length);
    expect(newOnDay2.length).toBeGreaterThan(0);
    expect(newFailures).toHaveLength(newOnDay2.length);
    expect(before.every((finding) => finding.change === null)).toBe(true);
  });

  test('without an earlier run of the cluster in the folder, says so and counts every failure as new', async () => {
    // Prepare
    const empty = join(folder(), 'empty-store');
    await mkdir(empty, { recursive: true });
    const { io, stdout, stderr } = capturedIo();

    // Act
    await runAuditCommand([...EXAMPLE_FLAGS, '--previous', empty, '--format', 'jsonl'], io);

    // Assess
    const failures = parsed(stdout()).filter((finding) => finding.status === 'FAIL');
    expect(failures.every((finding) => finding.change === 'new')).toBe(true);
    expect(stderr()).toBe(`warning: --previous ${empty} holds no earlier run of cluster shop-eu: its failures count as new\n`);
  });

  test('refuses a folder that does not exist before auditing', async () => {
    const { io, stderr } = capturedIo();

    const status = await runAuditCommand([...EXAMPLE_FLAGS, '--previous', join(folder(), 'missing')], io);

    expect([status, stderr()]).toEqual([2, `error: --previous ${join(folder(), 'missing')}: not a folder\n`]);
  });
});

describe('--format asff and ocsf', () => {
  test('asff prints one JSON array of Security Hub findings, ocsf one Compliance Finding event a line', async () => {
    // Prepare
    const asff = capturedIo();
    const ocsf = capturedIo();

    // Act
    const statuses = [await runAuditCommand([...EXAMPLE_FLAGS, '--format', 'asff'], asff.io), await runAuditCommand([...EXAMPLE_FLAGS, '--format', 'ocsf'], ocsf.io)];

    // Assess
    const findings = JSON.parse(asff.stdout()) as Array<{ GeneratorId: string; AwsAccountId: string }>;
    const events = ocsf.stdout().split('\n').filter(Boolean).map((line) => JSON.parse(line) as { class_uid: number });
    expect(statuses).toEqual([1, 1]);
    expect(findings.length).toBe(events.length);
    expect(findings.find((item) => item.GeneratorId === 'C-0230/control')?.AwsAccountId).toBe('111122223333');
    expect(new Set(events.map((event) => event.class_uid))).toEqual(new Set([2003]));
  });

  test('asff refuses a cluster without an account (exit 2, nothing printed) but still writes --output', async () => {
    // Prepare: without --eks-cluster the cluster has no account or region.
    const store = join(folder(), 'asff-store');
    const { io, stdout, stderr } = capturedIo();

    // Act
    const status = await runAuditCommand(['--kube', EXAMPLE.kube, '--format', 'asff', '--output', store], io);

    // Assess
    expect(status).toBe(2);
    expect(stdout()).toBe('');
    expect(stderr()).toMatch(/^error: --format asff: cluster cluster has no AWS account or region, which Security Hub needs: give --eks-cluster FILE/m);
    const connection = await findingsTable(store, 'findings');
    const [stored] = await queryRows(connection, 'SELECT count(*) AS findings FROM findings');
    connection.closeSync();
    expect(Number(stored?.findings)).toBeGreaterThan(0);
  });
});
