/**
 * The Glue table over a store-layout folder, in DuckDB: the same columns FINDINGS_COLUMNS declares to Glue, read from
 * the gzipped JSON Lines of `--output DIR` with Hive partitioning, so tests run the saved queries as Athena would.
 */
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { FINDINGS_COLUMNS, FINDINGS_PARTITION_KEYS, SAVED_QUERIES } from '../../lambda/report/athena.js';
import { FINDINGS_PREFIX } from '../../lambda/report/store-layout.js';

/** Hive type → DuckDB type: `string`, `array<T>` and `struct<a:T,…>`, the only forms the table uses. */
function duckdbType(hive: string): string {
  const type = hive.trim();
  if (type === 'string') return 'VARCHAR';
  const array = /^array<(.*)>$/.exec(type);
  if (array) return `${duckdbType(array[1]!)}[]`;
  const struct = /^struct<(.*)>$/.exec(type);
  if (struct) {
    const fields = struct[1]!.split(',').map((field) => {
      const [name, fieldType] = field.split(':') as [string, string];
      return `"${name}" ${duckdbType(fieldType)}`;
    });
    return `STRUCT(${fields.join(', ')})`;
  }
  throw new Error(`no DuckDB type for Hive type ${hive}`);
}

/**
 * A DuckDB connection with a view `table` over the findings of the store-layout folder `directory`; a qualified
 * name (`eks_netpol_auditor.findings`, as the docs write it) gets its schema, so documented SQL runs unchanged.
 */
export async function findingsTable(directory: string, table: string): Promise<DuckDBConnection> {
  const connection = await (await DuckDBInstance.create(':memory:')).connect();
  const schema = /^(\w+)\.\w+$/.exec(table)?.[1];
  if (schema !== undefined) await connection.run(`CREATE SCHEMA ${schema}`);
  const columns = FINDINGS_COLUMNS.map((column) => `'${column.name}': '${duckdbType(column.type)}'`).join(', ');
  const partitions = FINDINGS_PARTITION_KEYS.map((column) => `'${column.name}': '${duckdbType(column.type)}'`).join(', ');
  await connection.run(`CREATE VIEW ${table} AS SELECT * FROM read_json(
    '${join(directory, FINDINGS_PREFIX)}/*/*.jsonl.gz', format = 'newline_delimited', compression = 'gzip',
    hive_partitioning = true, hive_types = {${partitions}}, columns = {${columns}})`);
  return connection;
}

/** The rows of `sql`, BigInt counts as numbers. */
export async function queryRows(connection: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  const reader = await connection.runAndReadAll(sql);
  return reader.getRowObjectsJS().map((row) =>
    Object.fromEntries(Object.entries(row).map(([key, value]) => [key, typeof value === 'bigint' ? Number(value) : value])),
  );
}

/** The SQL of the saved query `name` over `table`. */
export function savedQuerySql(name: string, table: string): string {
  const query = SAVED_QUERIES.find((candidate) => candidate.name === name);
  if (!query) throw new Error(`no saved query ${name}`);
  return query.sql(table);
}
