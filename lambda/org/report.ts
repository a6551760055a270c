/**
 * The report of an organization run: from the plan and the Distributed Map's results (ResultWriter's manifest and
 * result files), which clusters were audited, which were not and why — accounts and regions the plan could not
 * reach, batches that failed even their Catch, clusters with no result at all — then one alert for the run from the
 * stored findings (with `alertOn`, and the suppressions that expired, matched nothing or could not be read), and the
 * run's metrics. A cluster is never left out silently: planned but without a result is "not audited".
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { SNSClient } from '@aws-sdk/client-sns';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { Finding, Status } from '../audit/finding.js';
import type { ClusterIdentity } from '../audit/snapshot.js';
import { suppressionWarnings } from '../lifecycle/suppressions.js';
import { clusterRecord, reportRun, type ClusterRecord, type RunReport, type RunReporting } from '../live/audit-run.js';
import { mapSettledWithLimit } from '../live/concurrency.js';
import { WHOLE_REGION } from '../live/eks-fleet.js';
import { emitRunMetrics, RunMetric } from '../live/run-metrics.js';
import { runSuppressions } from '../live/run-suppressions.js';
import { decodeFindings } from '../report/jsonl.js';
import type { OrgConfig } from './org-config.js';
import { WHOLE_ORGANIZATION } from './plan.js';
import type { BatchResult, ClusterBatch, ClusterItem, ClusterResult, PlanDocument, ReportRequest } from './run-layout.js';
import { getBytes, getJson } from './s3-json.js';
import { caughtText } from './audit-batch.js';

/** Stored objects read at once. */
export const REPORT_READ_CONCURRENCY = 16;

/** What the report works with. */
export interface ReportDependencies {
  config: OrgConfig;
  s3: S3Client;
  /** Present when the configuration names a topic. */
  sns?: SNSClient;
  /** Told when the alert could not be published (the findings are stored: the run itself succeeded). */
  alertFailed?(reason: string): void;
  /** The run's metrics are emitted here, also for a report that fails (SuccessfulRuns is then 0). */
  metrics?: Metrics;
  clock?: () => Date;
}

/** What an organization run did, as the report returns it (the state machine's output). */
export interface OrgRunSummary {
  runId: string;
  accounts: number;
  /** Clusters planned. */
  clusters: number;
  /** Clusters, regions and accounts not audited. */
  notAudited: number;
  findings: Record<Status, number>;
  /** Findings objects read back for the alert. */
  objects: number;
  alerted: boolean;
}

/** The ResultWriter manifest, as far as the report reads it. */
interface Manifest {
  ResultFiles?: Partial<Record<'SUCCEEDED' | 'FAILED' | 'PENDING', Array<{ Key: string }>>>;
}

/** One child execution in a ResultWriter result file (Transformation NONE): its input and output as JSON text. */
interface ChildExecution {
  Status?: string;
  Input?: string;
  Output?: string;
  Error?: string;
  Cause?: string;
}

/** The report handler over `deps`. */
export function createReportHandler(deps: ReportDependencies): (event: unknown) => Promise<OrgRunSummary> {
  const clock = deps.clock ?? (() => new Date());
  return async (event) => {
    const request = reportRequest(event);
    let records: ClusterRecord[] | undefined;
    let report: RunReport | undefined;
    let observedAt: Date | undefined;
    try {
      const plan = await getJson<PlanDocument>(deps.s3, request.plan.bucket, request.plan.planKey);
      observedAt = new Date(plan.observedAt);
      const planned = await getJson<ClusterItem[]>(deps.s3, request.plan.bucket, request.plan.clustersKey);
      const outcomes = await childResults(deps.s3, request.results.ResultWriterDetails);
      const reporting: RunReporting = {
        s3: deps.s3,
        store: { bucket: deps.config.bucket, prefix: deps.config.prefix },
        ...(deps.config.topicArn && deps.sns ? { alerts: { sns: deps.sns, topicArn: deps.config.topicArn } } : {}),
        threshold: deps.config.alertThreshold,
        alertOn: deps.config.alertOn,
        athena: deps.config.athena,
      };
      records = await readRecords(deps.s3, reporting, storedEntries(plan, planned, outcomes));
      // The batches applied these suppressions; read again, they say which expired or matched nothing in the whole run.
      const suppressions = await runSuppressions(deps.config, deps.s3);
      const warnings = [...suppressions.problems, ...suppressionWarnings(suppressions.entries, records.flatMap((record) => record.suppressionsUsed), observedAt)];
      const alertFailed = (reason: string) => {
        deps.alertFailed?.(reason);
        deps.metrics?.addMetric(RunMetric.AlertFailures, MetricUnit.Count, 1);
      };
      report = await reportRun(plan.runId, records, reporting, { alertFailed }, warnings);
      const { summary } = report;
      return {
        runId: plan.runId,
        accounts: plan.accounts.length,
        clusters: planned.length,
        notAudited: summary.failedClusters.length,
        findings: summary.findings,
        objects: summary.keys.length,
        alerted: summary.alerted,
      };
    } finally {
      if (deps.metrics) {
        emitRunMetrics(deps.metrics, {
          clusters: records?.length ?? 0,
          failedClusters: report?.summary.failedClusters.length ?? 0,
          // A cluster without stored findings: its batch and its Catch both failed, or its object cannot be read back.
          storeFailures: records?.filter((record) => record.keys.length === 0).length ?? 0,
          findings: report?.summary.findings ?? { PASS: 0, FAIL: 0, UNKNOWN: 0 },
          durationMs: observedAt ? Math.max(0, clock().getTime() - observedAt.getTime()) : 0,
          completed: report !== undefined,
        });
      }
    }
  };
}

/** Every entry of the run: the accounts and regions the plan could not reach, then every planned cluster with its result. */
function storedEntries(plan: PlanDocument, planned: ClusterItem[], outcomes: Map<string, ClusterResult>): StoredEntry[] {
  return [
    ...plan.failures.map((failure) => ({
      cluster: {
        name: failure.account ? WHOLE_REGION : WHOLE_ORGANIZATION,
        ...(failure.account ? { accountId: failure.account } : {}),
        ...(failure.region ? { region: failure.region } : {}),
      },
      ...(failure.key ? { key: failure.key } : {}),
      failure: failure.reason,
    })),
    ...planned.map((item) => {
      const result = outcomes.get(itemKey(item));
      const failure = result?.failure ?? (result?.key ? undefined : 'no findings were recorded for this cluster: its batch did not complete');
      return { cluster: identity(item), ...(result?.key ? { key: result.key } : {}), ...(failure === undefined ? {} : { failure }) };
    }),
  ];
}

/** A cluster (or an account or region not reached) of the run: where its findings are, and why it was not audited. */
interface StoredEntry {
  cluster: ClusterIdentity;
  key?: string;
  failure?: string;
}

/**
 * The run's record of every entry, from its stored object (only what the alert reads is kept, so a thousand clusters
 * fit in memory); an object that cannot be read back makes its cluster not audited, never silently clean.
 */
async function readRecords(s3: S3Client, reporting: RunReporting, entries: StoredEntry[]): Promise<ClusterRecord[]> {
  const settled = await mapSettledWithLimit(entries, REPORT_READ_CONCURRENCY, async (entry) =>
    entry.key ? decodeFindings(await getBytes(s3, reporting.store.bucket, entry.key)) : [],
  );
  return entries.map((entry, index) => {
    const outcome = settled[index] as PromiseSettledResult<Finding[]>;
    const failure = outcome.status === 'rejected' ? `stored findings unreadable: ${(outcome.reason as Error).message}` : entry.failure;
    const findings = outcome.status === 'fulfilled' ? outcome.value : [];
    const audit = { cluster: entry.cluster, findings, requests: 0, ...(failure === undefined ? {} : { failure }) };
    // An object that cannot be read back counts as not stored: its key is not one the alert can point at.
    return { ...clusterRecord(audit, reporting.threshold), keys: entry.key && outcome.status === 'fulfilled' ? [entry.key] : [] };
  });
}

/**
 * Every cluster's result from the ResultWriter files: succeeded children give their batch's results; a failed child
 * (its Catch failed too) gives a failure for each cluster of its input.
 */
async function childResults(s3: S3Client, manifestAt: { Bucket: string; Key: string }): Promise<Map<string, ClusterResult>> {
  const manifest = await getJson<Manifest>(s3, manifestAt.Bucket, manifestAt.Key);
  const files = Object.values(manifest.ResultFiles ?? {}).flatMap((list) => list ?? []);
  const outcomes = new Map<string, ClusterResult>();
  for (const file of files) {
    for (const child of await getJson<ChildExecution[]>(s3, manifestAt.Bucket, file.Key)) {
      if (child.Status === 'SUCCEEDED' && child.Output) {
        for (const result of (JSON.parse(child.Output) as BatchResult).clusters ?? []) outcomes.set(itemKey(result), result);
      } else if (child.Input) {
        const reason = `neither its audit nor the recording of its failure completed: ${caughtText(child)}`;
        for (const item of (JSON.parse(child.Input) as ClusterBatch).Items ?? []) outcomes.set(itemKey(item), { ...item, failure: reason });
      }
    }
  }
  return outcomes;
}

function itemKey(item: ClusterItem): string {
  return JSON.stringify([item.account, item.region, item.name]);
}

function identity(item: ClusterItem): ClusterIdentity {
  return { name: item.name, region: item.region, accountId: item.account };
}

function reportRequest(event: unknown): ReportRequest {
  const request = event as Partial<ReportRequest> | null;
  const details = request?.results?.ResultWriterDetails;
  const plan = request?.plan;
  if (!plan || typeof plan.bucket !== 'string' || typeof plan.planKey !== 'string' || typeof plan.clustersKey !== 'string' ||
      typeof details?.Bucket !== 'string' || typeof details.Key !== 'string') {
    throw new Error('the report needs "plan" (bucket, planKey, clustersKey) and "results.ResultWriterDetails" (Bucket, Key)');
  }
  return request as ReportRequest;
}
