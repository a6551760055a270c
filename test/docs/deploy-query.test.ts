/**
 * The example query of docs/deploy.md, exactly as the page prints it, run by DuckDB over the `--output` folder of two
 * command-line runs of the example cluster: it must answer each cluster's latest run only, without the control
 * roll-up, so no failure appears twice.
 */
import { readFileSync } from 'node:fs';
import { runAuditCommand } from '../../cli/audit-command.js';
import type { Finding } from '../../lambda/audit/finding.js';
import { ATHENA_NAMES } from '../../lambda/report/athena.js';
import { capturedIo, EXAMPLE_FLAGS, temporaryFolderForTests } from '../cli/audit-helpers.js';
import { findingsTable, queryRows } from '../support/findings-duckdb.js';

const folder = temporaryFolderForTests();

/** The SQL block after "Filter on `dt`" in docs/deploy.md. */
function documentedQuery(): string {
  const page = readFileSync('docs/deploy.md', 'utf8');
  const sql = /Filter on `dt`[\s\S]*?```sql\n([\s\S]*?)```/.exec(page)?.[1];
  if (sql === undefined) throw new Error('docs/deploy.md has no SQL block after "Filter on `dt`"');
  return sql.trim().replace(/;$/, '');
}

/** One run of the example into the shared `--output` folder; its findings as printed. */
async function auditInto(output: string, extra: string[]): Promise<Finding[]> {
  const { io, stdout } = capturedIo();
  await runAuditCommand([...EXAMPLE_FLAGS, ...extra, '--output', output, '--format', 'jsonl'], io);
  return stdout().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Finding);
}

const label = (row: { check_id?: unknown; kind?: unknown; namespace?: unknown; name?: unknown }) =>
  `${String(row.check_id)} ${String(row.kind)} ${String(row.namespace ?? '')}/${String(row.name)}`;

test("the documented query lists the Medium failures of each cluster's latest run once, without the control roll-up", async () => {
  // Prepare: the first run fails analytics; the second excludes it, so its failures are gone from the latest run
  const output = folder();
  const first = await auditInto(output, []);
  const second = await auditInto(output, ['--exclude-namespaces', 'kube-system,kube-public,kube-node-lease,analytics']);
  const connection = await findingsTable(output, `${ATHENA_NAMES.database}.${ATHENA_NAMES.table}`);

  // Act
  const rows = await queryRows(connection, documentedQuery());

  // Assess
  const expected = second
    .filter((finding) => finding.status === 'FAIL' && finding.severity === 'Medium' && finding.check_id !== 'control')
    .map((finding) => label({ ...finding, ...finding.resource }))
    .sort();
  expect(first.some((finding) => finding.status === 'FAIL' && finding.resource.namespace === 'analytics')).toBe(true);
  expect(expected.length).toBeGreaterThan(0);
  expect(rows.map(label).sort()).toEqual(expected);
  expect(new Set(rows.map(label)).size).toBe(rows.length);
  expect(rows.every((row) => row.cluster_name === 'shop-eu' && row.region === 'eu-west-1' && row.account_id === '111122223333')).toBe(true);
});
