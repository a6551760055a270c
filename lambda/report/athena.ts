/**
 * The Athena side of the findings store: the Glue table's columns (the stack defines the table from them) and the
 * saved queries. The SQL is plain enough to run unchanged in Athena (Trino) and in DuckDB, which is how the tests
 * prove it against the folder layout `--output DIR` writes.
 */
import { PARTITION_KEY } from './store-layout.js';

/** A Glue/Hive column: name and Hive type. */
/** The Glue database, table and Athena workgroup a deployment's findings are queried through. */
export interface AthenaNames {
  database: string;
  table: string;
  workgroup: string;
}

/**
 * The names of the default deployment (stack `EksNetpolAuditor`), which users type in Athena; another deployment in
 * the same account and region chooses its own database and workgroup (lib/settings.ts), the table keeps its name
 * inside it. They live here because the Lambda, which names them in the alert's ready query, must not import CDK code.
 */
export const ATHENA_NAMES: AthenaNames = {
  database: 'eks_netpol_auditor',
  table: 'findings',
  workgroup: 'eks-netpol-auditor',
};

/** A Glue database name Athena can query without quoting: lower-case letters, digits and underscores. */
export const GLUE_DATABASE_NAME = /^[a-z0-9_]{1,255}$/;

/** An Athena workgroup name. */
export const WORKGROUP_NAME = /^[A-Za-z0-9._-]{1,128}$/;

export interface GlueColumn {
  name: string;
  type: string;
}

/**
 * The table's columns, one per field of the finding record, in record order, with Hive types for the Hive JSON SerDe
 * (`org.apache.hive.hcatalog.data.JsonSerDe`). Left out on purpose: `evidence`. Its shape differs per check (numbers,
 * lists, nested objects), and neither JSON SerDe maps such an object reliably: the Hive SerDe fails on an object in a
 * `string` column and on nested values in a `map<string,string>`, and Athena warns that OpenX's lenient options give
 * non-deterministic results. The SerDe skips keys the table does not declare, so every other column stays queryable;
 * the evidence remains in the objects, whose key is the `"$path"` of each row. `observed_at` stays an ISO-8601
 * string: it sorts chronologically as text, and parsing it as a timestamp would need SerDe-specific formats.
 */
export const FINDINGS_COLUMNS: ReadonlyArray<GlueColumn> = [
  { name: 'schema_version', type: 'string' },
  { name: 'finding_id', type: 'string' },
  { name: 'run_id', type: 'string' },
  { name: 'observed_at', type: 'string' },
  { name: 'control_id', type: 'string' },
  { name: 'check_id', type: 'string' },
  { name: 'status', type: 'string' },
  { name: 'severity', type: 'string' },
  { name: 'title', type: 'string' },
  { name: 'message', type: 'string' },
  { name: 'remediation', type: 'string' },
  { name: 'cluster', type: 'struct<name:string,arn:string,account_id:string,region:string>' },
  { name: 'resource', type: 'struct<kind:string,namespace:string,name:string>' },
  { name: 'requirements', type: 'array<string>' },
  { name: 'first_seen', type: 'string' },
  { name: 'change', type: 'string' },
  { name: 'suppression', type: 'struct<reason:string,expires:string,entry:string>' },
];

/** The partition column: the `dt=YYYY-MM-DD` folder of the store layout (partition projection on the stack side). */
export const FINDINGS_PARTITION_KEYS: ReadonlyArray<GlueColumn> = [{ name: PARTITION_KEY, type: 'string' }];

/** A saved (named) query: its name, what it answers, and its SQL over a table name (qualified or not). */
export interface SavedQuery {
  name: string;
  description: string;
  sql: (table: string) => string;
}

/**
 * The findings of each cluster's most recent run, with the columns the saved queries read. One run shares one
 * `observed_at`, so the newest `observed_at` of a cluster (account, region and name: names are unique only within an
 * account and region) marks its latest run; a run that audited only some clusters leaves the others at their previous
 * run.
 */
function latestRunFindings(table: string): string {
  return `SELECT cluster.name AS cluster_name, cluster.region AS region, cluster.account_id AS account_id,
         run_id, observed_at, check_id, status, severity, message, suppression,
         CASE WHEN resource.kind = 'Namespace' THEN resource.name ELSE resource.namespace END AS namespace,
         max(observed_at) OVER (PARTITION BY cluster.account_id, cluster.region, cluster.name) AS latest_observed_at
  FROM ${table}`;
}

/** The saved queries the stack creates in the workgroup; each answers one question a reader of the alert asks next. */
export const SAVED_QUERIES: ReadonlyArray<SavedQuery> = [
  {
    name: 'latest-verdict-per-cluster',
    description: 'C-0230 control verdict of every cluster in its most recent audit run',
    sql: (table) => `SELECT cluster_name, region, account_id, status, message, run_id, observed_at
FROM (
  ${latestRunFindings(table)}
) latest
WHERE observed_at = latest_observed_at AND check_id = 'control'
ORDER BY cluster_name, region, account_id`,
  },
  {
    name: 'failures-by-check-and-namespace',
    description:
      "Failed findings of each cluster's most recent run, counted by check and namespace (the control roll-up and suppressed failures left out)",
    sql: (table) => `SELECT cluster_name, region, account_id, check_id, severity, namespace, count(*) AS failures
FROM (
  ${latestRunFindings(table)}
) latest
WHERE observed_at = latest_observed_at AND status = 'FAIL' AND check_id <> 'control' AND suppression IS NULL
GROUP BY cluster_name, region, account_id, check_id, severity, namespace
ORDER BY failures DESC, cluster_name, region, account_id, check_id, namespace`,
  },
  {
    name: 'new-failures-per-day',
    description: 'Failures that were not failing in the previous run of their cluster, per day (suppressed ones left out)',
    sql: (table) => `SELECT ${PARTITION_KEY} AS day, cluster.name AS cluster_name, cluster.region AS region,
       cluster.account_id AS account_id, check_id, severity, resource.kind AS resource_kind, resource.namespace AS resource_namespace, resource.name AS resource_name, message, run_id
FROM ${table}
WHERE status = 'FAIL' AND change = 'new' AND suppression IS NULL
ORDER BY day, cluster_name, region, account_id, CASE severity WHEN 'Medium' THEN 0 WHEN 'Low' THEN 1 ELSE 2 END,
         check_id, resource_kind, resource_namespace, resource_name`,
  },
  {
    name: 'trend-per-day',
    description: 'Findings per day and status, with the number of runs that day, to follow the trend',
    sql: (table) => `SELECT ${PARTITION_KEY} AS day, status, count(*) AS findings, count(DISTINCT run_id) AS runs
FROM ${table}
GROUP BY ${PARTITION_KEY}, status
ORDER BY day, status`,
  },
];

/**
 * The failures of one run, Medium first: the ready-to-paste query of the alert. `dt` (the run's partition) lets
 * Athena read one day's objects instead of every day's.
 */
export function runFailuresQuery(table: string, run: { runId: string; dt?: string }): string {
  const partition = run.dt ? `${PARTITION_KEY} = ${sqlText(run.dt)} AND ` : '';
  return `SELECT cluster.name AS cluster_name, cluster.region AS region, cluster.account_id AS account_id, check_id, severity,
       resource.kind AS resource_kind, resource.namespace AS resource_namespace, resource.name AS resource_name, message
FROM ${table}
WHERE ${partition}run_id = ${sqlText(run.runId)} AND status = 'FAIL'
ORDER BY CASE severity WHEN 'Medium' THEN 0 WHEN 'Low' THEN 1 ELSE 2 END,
         cluster_name, region, account_id, check_id, resource_namespace, resource_name`;
}

/** A SQL string literal: quotes doubled, which both Trino and DuckDB read back as the original text. */
function sqlText(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
