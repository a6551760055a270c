/**
 * Athena over the findings store: a Glue database and table whose location and partition projection are built from
 * the same layout constants the writer uses (lambda/report/store-layout.ts), so a new day's findings are queryable
 * with no crawler and no `MSCK REPAIR`; a workgroup with enforced settings and its own encrypted results bucket;
 * and the saved queries of lambda/report/athena.ts.
 */
import { Stack } from 'aws-cdk-lib';
import { CfnNamedQuery, CfnWorkGroup } from 'aws-cdk-lib/aws-athena';
import { CfnDatabase, CfnTable } from 'aws-cdk-lib/aws-glue';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { FINDINGS_COLUMNS, FINDINGS_PARTITION_KEYS, SAVED_QUERIES, type AthenaNames } from '../lambda/report/athena.js';
import { PARTITION_KEY } from '../lambda/report/store-layout.js';
import { secureBucket } from './secure-bucket.js';

/** The findings store the table reads and where the results bucket logs its access. */
export interface FindingsAthenaProps {
  /** The deployment's database, table and workgroup (unique in the account and region). */
  names: AthenaNames;
  bucket: IBucket;
  prefix: string;
  accessLogs: IBucket;
}

/** Query results are scratch data: kept a month, then expired. */
const RESULTS_RETENTION_DAYS = 30;

/** The first day the projection enumerates; the auditor did not exist before. */
const PROJECTION_START = '2024-01-01';

/** S3 URI of the partition folder of `dt` under `prefix`, with Athena's `${dt}` placeholder left in. */
function partitionLocationTemplate(bucketName: string, prefix: string): string {
  return `s3://${bucketName}/${prefix}/${PARTITION_KEY}=\${${PARTITION_KEY}}/`;
}

/** The Glue database and table, the workgroup with its results bucket, and one saved query per SAVED_QUERIES entry. */
export class FindingsAthena extends Construct {
  readonly database: CfnDatabase;
  readonly table: CfnTable;
  readonly workGroup: CfnWorkGroup;
  readonly queries: CfnNamedQuery[];

  constructor(scope: Construct, id: string, props: FindingsAthenaProps) {
    super(scope, id);
    const account = Stack.of(this).account;
    const names = props.names;
    this.database = new CfnDatabase(this, 'Database', {
      catalogId: account,
      databaseInput: { name: names.database, description: 'EKS network-policy audit findings (C-0230)' },
    });
    this.table = new CfnTable(this, 'Table', {
      catalogId: account,
      databaseName: names.database,
      tableInput: {
        name: names.table,
        description: 'One row per finding; gzipped JSON Lines partitioned by observation date (UTC)',
        tableType: 'EXTERNAL_TABLE',
        partitionKeys: FINDINGS_PARTITION_KEYS.map(({ name, type }) => ({ name, type })),
        parameters: {
          classification: 'json',
          'projection.enabled': 'true',
          [`projection.${PARTITION_KEY}.type`]: 'date',
          [`projection.${PARTITION_KEY}.format`]: 'yyyy-MM-dd',
          [`projection.${PARTITION_KEY}.range`]: `${PROJECTION_START},NOW`,
          [`projection.${PARTITION_KEY}.interval`]: '1',
          [`projection.${PARTITION_KEY}.interval.unit`]: 'DAYS',
          'storage.location.template': partitionLocationTemplate(props.bucket.bucketName, props.prefix),
        },
        storageDescriptor: {
          location: `s3://${props.bucket.bucketName}/${props.prefix}/`,
          columns: FINDINGS_COLUMNS.map(({ name, type }) => ({ name, type })),
          // Text input reads .gz objects transparently; the Hive JSON SerDe maps one line to one row (the columns'
          // doc in lambda/report/athena.ts says why this SerDe and not OpenX's).
          inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
          serdeInfo: { serializationLibrary: 'org.apache.hive.hcatalog.data.JsonSerDe' },
        },
      },
    });
    this.table.node.addDependency(this.database);

    const results = secureBucket(this, 'Results', {
      expirationDays: RESULTS_RETENTION_DAYS,
      accessLogs: props.accessLogs,
      accessLogsPrefix: 'athena-results/',
    });
    this.workGroup = new CfnWorkGroup(this, 'WorkGroup', {
      name: names.workgroup,
      description: 'Queries over the EKS network-policy audit findings',
      // Deleting the stack deletes the workgroup even when it holds saved queries and history.
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: `s3://${results.bucketName}/`,
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
          expectedBucketOwner: account,
        },
      },
    });
    const qualifiedTable = `${names.database}.${names.table}`;
    this.queries = SAVED_QUERIES.map((query) => {
      // Named after the query, so reordering SAVED_QUERIES does not replace the saved queries.
      const named = new CfnNamedQuery(this, query.name.replace(/[^A-Za-z0-9]/g, ''), {
        name: query.name,
        description: query.description,
        database: names.database,
        workGroup: names.workgroup,
        queryString: query.sql(qualifiedTable),
      });
      named.node.addDependency(this.workGroup, this.table);
      return named;
    });
  }
}
