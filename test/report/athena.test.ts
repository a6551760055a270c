/**
 * The saved queries and the alert's query, run by DuckDB over the folder layout `writeFindingsToDirectory` writes,
 * with the table's columns declared from FINDINGS_COLUMNS exactly as the Glue table declares them
 * (test/support/findings-duckdb.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Finding } from '../../lambda/audit/finding.js';
import { runFailuresQuery } from '../../lambda/report/athena.js';
import { writeFindingsToDirectory } from '../../lambda/report/local-store.js';
import { findingsTable, queryRows, savedQuerySql } from '../support/findings-duckdb.js';
import { clusterKey } from '../../lambda/audit/findings.js';
import { annotateRun } from '../../lambda/lifecycle/changes.js';
import { finding, findingCluster } from './fixtures.js';

const TABLE = 'findings';

function run1(): Finding[] {
  const at = { run_id: 'run-1', observed_at: '2024-05-01T06:00:00.000Z' };
  const prod = findingCluster('prod');
  const dev = findingCluster('dev');
  const legacy = findingCluster('legacy', 'us-east-1');
  // Same name and region as prod, another account: a cluster of its own, audited only on day 1.
  const otherProd = findingCluster('prod', 'eu-west-1', '444455556666');
  return [
    finding({ ...at, cluster: prod, check_id: 'control', resource: { kind: 'Cluster', namespace: null, name: 'prod' }, message: 'prod fails on day 1' }),
    finding({ ...at, cluster: prod, check_id: 'namespace-coverage', resource: { kind: 'Namespace', namespace: null, name: 'team-a' } }),
    finding({ ...at, cluster: prod, check_id: 'namespace-coverage', resource: { kind: 'Namespace', namespace: null, name: 'team-b' } }),
    finding({ ...at, cluster: prod, check_id: 'workload-coverage', resource: { kind: 'Deployment', namespace: 'team-a', name: 'api' } }),
    finding({ ...at, cluster: prod, check_id: 'engine', status: 'PASS', resource: { kind: 'Cluster', namespace: null, name: 'prod' } }),
    finding({ ...at, cluster: dev, check_id: 'control', status: 'PASS', resource: { kind: 'Cluster', namespace: null, name: 'dev' }, message: 'dev passes on day 1' }),
    finding({ ...at, cluster: dev, check_id: 'namespace-coverage', status: 'PASS', resource: { kind: 'Namespace', namespace: null, name: 'team-x' } }),
    finding({ ...at, cluster: legacy, check_id: 'control', status: 'PASS', resource: { kind: 'Cluster', namespace: null, name: 'legacy' }, message: 'legacy passes' }),
    finding({ ...at, cluster: otherProd, check_id: 'control', status: 'PASS', resource: { kind: 'Cluster', namespace: null, name: 'prod' }, message: 'the other prod passes' }),
  ];
}

function run2(): Finding[] {
  const at = { run_id: 'run-2', observed_at: '2024-05-02T06:00:00.000Z' };
  const prod = findingCluster('prod');
  const dev = findingCluster('dev');
  return [
    finding({ ...at, cluster: prod, check_id: 'control', resource: { kind: 'Cluster', namespace: null, name: 'prod' }, message: 'prod fails on day 2' }),
    finding({ ...at, cluster: prod, check_id: 'namespace-coverage', status: 'PASS', resource: { kind: 'Namespace', namespace: null, name: 'team-a' } }),
    finding({ ...at, cluster: prod, check_id: 'namespace-coverage', resource: { kind: 'Namespace', namespace: null, name: 'team-b' } }),
    finding({ ...at, cluster: prod, check_id: 'workload-coverage', resource: { kind: 'Deployment', namespace: 'team-b', name: 'web' } }),
    finding({ ...at, cluster: prod, check_id: 'workload-coverage', resource: { kind: 'CronJob', namespace: 'team-b', name: 'report' } }),
    finding({ ...at, cluster: dev, check_id: 'control', resource: { kind: 'Cluster', namespace: null, name: 'dev' }, message: 'dev fails on day 2' }),
    finding({ ...at, cluster: dev, check_id: 'namespace-coverage', severity: 'Medium', resource: { kind: 'Namespace', namespace: null, name: 'team-x' } }),
    finding({ ...at, cluster: dev, check_id: 'permissive-policy', severity: 'Low', resource: { kind: 'NetworkPolicy', namespace: 'team-x', name: 'allow-all' } }),
    finding({
      ...at,
      cluster: dev,
      check_id: 'default-deny',
      severity: 'Low',
      resource: { kind: 'Namespace', namespace: null, name: 'team-x' },
      suppression: { reason: 'accepted', expires: '2024-12-31', entry: 'suppressions.yaml#1' },
    }),
  ];
}

describe('the Athena queries, run by DuckDB over the --output layout', () => {
  let directory: string;
  let connection: DuckDBConnection;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'athena-'));
    // Each run annotated against the one before, as the handler and --previous do.
    const first = annotateRun(run1(), () => undefined);
    const second = annotateRun(run2(), (cluster) => first.filter((item) => clusterKey(item.cluster) === cluster));
    await writeFindingsToDirectory(directory, [...first, ...second]);
    connection = await findingsTable(directory, TABLE);
  });
  afterAll(async () => {
    connection.closeSync();
    await rm(directory, { recursive: true, force: true });
  });

  const rows = (sql: string) => queryRows(connection, sql);
  const savedQuery = (name: string) => savedQuerySql(name, TABLE);

  it('reads every declared column, partition included, from the stored objects', async () => {
    // Prepare
    const sql = `SELECT count(*) AS findings, count(DISTINCT dt) AS days, count(requirements) AS with_requirements FROM ${TABLE}`;

    // Act
    const [summary] = await rows(sql);

    // Assess
    expect(summary).toEqual({ findings: 19, days: 2, with_requirements: 19 });
  });

  it('latest verdict per cluster takes each cluster\'s newest run, same-named clusters of two accounts apart', async () => {
    // Prepare
    const sql = savedQuery('latest-verdict-per-cluster');

    // Act
    const verdicts = await rows(sql);

    // Assess
    expect(verdicts.map((row) => [row.cluster_name, row.region, row.account_id, row.status, row.run_id, row.message])).toEqual([
      ['dev', 'eu-west-1', '123456789012', 'FAIL', 'run-2', 'dev fails on day 2'],
      ['legacy', 'us-east-1', '123456789012', 'PASS', 'run-1', 'legacy passes'],
      ['prod', 'eu-west-1', '123456789012', 'FAIL', 'run-2', 'prod fails on day 2'],
      ['prod', 'eu-west-1', '444455556666', 'PASS', 'run-1', 'the other prod passes'],
    ]);
  });

  it("failures by check and namespace count the latest run's failures, namespace findings under their own namespace", async () => {
    // Prepare
    const sql = savedQuery('failures-by-check-and-namespace');

    // Act
    const failures = await rows(sql);

    // Assess
    expect(failures.map((row) => [row.cluster_name, row.check_id, row.severity, row.namespace, row.failures])).toEqual([
      ['prod', 'workload-coverage', 'Medium', 'team-b', 2],
      ['dev', 'namespace-coverage', 'Medium', 'team-x', 1],
      ['dev', 'permissive-policy', 'Low', 'team-x', 1],
      ['prod', 'namespace-coverage', 'Medium', 'team-b', 1],
    ]);
  });

  it('trend per day counts findings by day and status', async () => {
    // Prepare
    const sql = savedQuery('trend-per-day');

    // Act
    const trend = await rows(sql);

    // Assess
    expect(trend).toEqual([
      { day: '2024-05-01', status: 'FAIL', findings: 4, runs: 1 },
      { day: '2024-05-01', status: 'PASS', findings: 5, runs: 1 },
      { day: '2024-05-02', status: 'FAIL', findings: 8, runs: 1 },
      { day: '2024-05-02', status: 'PASS', findings: 2, runs: 1 },
    ]);
  });

  it('the alert\'s query lists one run\'s failures, Medium first', async () => {
    // Prepare
    const sql = runFailuresQuery(TABLE, { runId: 'run-2', dt: '2024-05-02' });

    // Act
    const failures = await rows(sql);

    // Assess
    expect(failures.map((row) => [row.cluster_name, row.check_id, row.severity, row.resource_name])).toEqual([
      ['dev', 'control', 'Medium', 'dev'],
      ['dev', 'namespace-coverage', 'Medium', 'team-x'],
      ['prod', 'control', 'Medium', 'prod'],
      ['prod', 'namespace-coverage', 'Medium', 'team-b'],
      ['prod', 'workload-coverage', 'Medium', 'report'],
      ['prod', 'workload-coverage', 'Medium', 'web'],
      ['dev', 'default-deny', 'Low', 'team-x'],
      ['dev', 'permissive-policy', 'Low', 'allow-all'],
    ]);
  });

  it('new failures per day lists what failed and had not failed in the previous run, without the suppressed ones', async () => {
    // Prepare
    const sql = savedQuery('new-failures-per-day');

    // Act
    const failures = await rows(sql);

    // Assess: day 1 has no previous run (all new); on day 2 team-b and prod's control go on, dev's default-deny is suppressed.
    expect(failures.map((row) => [row.day, row.cluster_name, row.check_id, row.resource_name])).toEqual([
      ['2024-05-01', 'prod', 'control', 'prod'],
      ['2024-05-01', 'prod', 'namespace-coverage', 'team-a'],
      ['2024-05-01', 'prod', 'namespace-coverage', 'team-b'],
      ['2024-05-01', 'prod', 'workload-coverage', 'api'],
      ['2024-05-02', 'dev', 'control', 'dev'],
      ['2024-05-02', 'dev', 'namespace-coverage', 'team-x'],
      ['2024-05-02', 'dev', 'permissive-policy', 'allow-all'],
      ['2024-05-02', 'prod', 'workload-coverage', 'report'],
      ['2024-05-02', 'prod', 'workload-coverage', 'web'],
    ]);
  });

  it('keeps the lifecycle columns queryable: the gone workload of day 1 is a resolved PASS on day 2', async () => {
    // Prepare
    const sql = `SELECT resource.name AS name, status, change, first_seen, suppression.entry AS entry FROM ${TABLE}
      WHERE dt = '2024-05-02' AND (change = 'resolved' OR suppression IS NOT NULL) ORDER BY name`;

    // Act
    const resolved = await rows(sql);

    // Assess
    expect(resolved).toEqual([
      { name: 'api', status: 'PASS', change: 'resolved', first_seen: '2024-05-02T06:00:00.000Z', entry: null },
      { name: 'team-a', status: 'PASS', change: 'resolved', first_seen: '2024-05-02T06:00:00.000Z', entry: null },
      { name: 'team-x', status: 'FAIL', change: 'new', first_seen: '2024-05-02T06:00:00.000Z', entry: 'suppressions.yaml#1' },
    ]);
  });

  it('the alert\'s query keeps a quote in the run id inside its string literal', async () => {
    // Prepare
    const sql = runFailuresQuery(TABLE, { runId: "run-2' OR '1' = '1" });

    // Act
    const failures = await rows(sql);

    // Assess
    expect(failures).toEqual([]);
  });
});
