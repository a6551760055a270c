/**
 * The Lambda handler's logic with its dependencies passed in: validate the event, audit the clusters, store the
 * findings, alert, emit the run's metrics and return its summary. `lambda/handler.ts` wires the real clients,
 * Logger and Metrics at cold start; tests wire local servers and mocks.
 */
import type { EKSClient } from '@aws-sdk/client-eks';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { AuditorConfig } from '../config.js';
import { reportRun, storeCluster, type ClusterRecord, type ReportingEvents, type RunReport, type RunReporting, type RunSummary } from './audit-run.js';
import type { ClusterAudit, LiveAuditOptions } from './cluster-audit.js';
import { RUN_MARGIN_MS, invocationDeadline } from './deadline.js';
import { auditEksFleet } from './eks-fleet.js';
import { parseInvocation } from './invocation.js';
import { skippedWarning } from '../collect/kube-input.js';
import { emitRunMetrics, RunMetric, type RunOutcome } from './run-metrics.js';
import { runSuppressions } from './run-suppressions.js';
import type { AsffFallback } from '../report/asff.js';
import { recordedRunStart } from '../report/run-start.js';
import { suppressionMatcher, suppressionWarnings } from '../lifecycle/suppressions.js';


/** What the handler works with; every AWS client is created by the caller and reused across invocations. */
export interface HandlerDependencies {
  config: AuditorConfig;
  logger: Logger;
  metrics: Metrics;
  /** The EKS client of a region (one per region, reused). */
  eksFor(region: string): EKSClient;
  s3: S3Client;
  /** Present when the configuration names a topic. */
  sns?: SNSClient;
  /** The Security Hub client of a region (one per region, reused); used when the configuration turns the import on. */
  securityHubFor?(region: string): SecurityHubClient;
  /** Signs the EKS tokens: the function's own credentials. */
  credentials: AwsCredentialIdentityProvider;
  /** Kubernetes collection tuning (tests). */
  collect?: LiveAuditOptions['collect'];
  clock?: () => Date;
  /** Overrides {@link RUN_MARGIN_MS} (tests). */
  runMarginMs?: number;
}

/** The part of the Lambda context the handler reads. */
export interface InvocationContext {
  awsRequestId: string;
  /** Lambda's time left for this invocation; absent (a direct call), the run has no deadline of its own. */
  getRemainingTimeInMillis?(): number;
}

/** A Lambda handler over `deps`. */
export type AuditHandler = (event: unknown, context: InvocationContext) => Promise<RunSummary>;

/**
 * Builds the handler. Per invocation: validate the event (an invalid one throws an InvocationError before any
 * work), audit every matching cluster with bounded concurrency, each within its deadline and the run's (the Lambda's
 * remaining time minus {@link RUN_MARGIN_MS}), store each cluster's findings as soon as it is done, alert, then emit
 * metrics — on every run, also when it throws — and return the summary. Every log line carries `run_id`; every line
 * about one cluster also carries `cluster` and `region`. Throws only when the event is invalid or no findings could
 * be stored.
 */
export function createHandler(deps: HandlerDependencies): AuditHandler {
  const { config, logger, metrics } = deps;
  const clock = deps.clock ?? (() => new Date());
  return async (event, context) => {
    const invocation = parseInvocation(event, context.awsRequestId);
    const started = clock();
    logger.appendKeys({ run_id: invocation.runId });
    let records: ClusterRecord[] | undefined;
    let report: RunReport | undefined;
    try {
      const regions = invocation.regions ?? config.regions;
      logger.info('audit started', { kind: invocation.kind, regions, clusters: invocation.clusters ?? 'all matching' });
      const suppressions = await runSuppressions(config, deps.s3);
      for (const problem of suppressions.problems) logger.error('suppressions not applied', { reason: problem });
      const runTime = invocation.time ?? (await manualRunStart(deps.s3, config.bucket, invocation.runId, started, logger));
      const reporting: RunReporting = {
        s3: deps.s3,
        store: { bucket: config.bucket, prefix: config.prefix, ...(runTime ? { runTime } : {}) },
        ...(config.topicArn && deps.sns ? { alerts: { sns: deps.sns, topicArn: config.topicArn } } : {}),
        threshold: config.alertThreshold,
        alertOn: config.alertOn,
        athena: config.athena,
        ...(config.securityHub && deps.securityHubFor ? { securityHub: { clientFor: deps.securityHubFor, fallback: asffFallback(config) } } : {}),
      };
      const events: ReportingEvents = {
        storeFailed: (failure) => logger.error('findings not stored', { cluster: failure.cluster.name, region: failure.cluster.region, reason: failure.reason }),
        alertFailed: (reason) => {
          logger.error('alert not sent', { reason });
          metrics.addMetric(RunMetric.AlertFailures, MetricUnit.Count, 1);
        },
        securityHubFailed: (failure, refused) => {
          logger.error('findings not imported into Security Hub', { cluster: failure.cluster.name, region: failure.cluster.region, refused, reason: failure.reason });
          metrics.addMetric(RunMetric.SecurityHubFailures, MetricUnit.Count, refused);
        },
        historyFailed: (failure) =>
          logger.warn('not compared with the previous run', { cluster: failure.cluster.name, region: failure.cluster.region, reason: failure.reason }),
      };
      records = await auditEksFleet(
        {
          regions,
          ...(invocation.clusters ? { clusters: invocation.clusters } : {}),
          filters: { include: config.include, exclude: config.exclude },
          concurrency: config.concurrency,
          eksFor: deps.eksFor,
          credentials: deps.credentials,
          options: {
            runId: invocation.runId,
            observedAt: started,
            excludedNamespaces: config.excludedNamespaces,
            ...(suppressions.entries.length > 0 ? { suppress: suppressionMatcher(suppressions.entries, started) } : {}),
            collect: { maxBodyBytes: config.maxBodyBytes, ...deps.collect, ...(config.roleArn ? { roleArn: config.roleArn } : {}) },
            deadline: invocationDeadline(config.clusterTimeoutMs, context, deps.runMarginMs ?? RUN_MARGIN_MS),
          },
        },
        async (audit) => {
          logClusterDone(logger, audit);
          return storeCluster(audit, reporting, events);
        },
      );
      const suppressionNotes = suppressionWarnings(suppressions.entries, records.flatMap((record) => record.suppressionsUsed), started);
      for (const note of suppressionNotes) logger.warn('suppression', { reason: note });
      report = await reportRun(invocation.runId, records, reporting, events, [...suppressions.problems, ...suppressionNotes]);
      logger.info('audit finished', { summary: report.summary });
      return report.summary;
    } catch (error) {
      logger.error('audit failed', { reason: (error as Error).message });
      throw error;
    } finally {
      emitRunMetrics(metrics, runOutcome(records, report, clock().getTime() - started.getTime()));
      logger.resetKeys();
    }
  };
}

/**
 * The date a manual run files its objects under: its first attempt's start (run-start.ts). When that cannot be
 * recorded the clock dates the run, as it would without the record: a retry after midnight may then file a second
 * copy, which is logged rather than costing the run its findings.
 */
async function manualRunStart(s3: S3Client, bucket: string, runId: string, now: Date, logger: Logger): Promise<Date | undefined> {
  try {
    return await recordedRunStart(s3, bucket, runId, now);
  } catch (error) {
    logger.warn('run start not recorded: a retry after midnight UTC would be filed under the next day', { reason: (error as Error).message });
    return undefined;
  }
}

/** Where findings without an account or region of their own are imported: the function's account and region. */
function asffFallback(config: AuditorConfig): AsffFallback {
  return { accountId: /^arn:[^:]+:iam::(\d{12}):/.exec(config.roleArn ?? '')?.[1] ?? '', region: config.regions[0] ?? '' };
}

/** Skipped objects named in a cluster's log line; the count says how many there were. */
const LOGGED_SKIPS = 10;

function logClusterDone(logger: Logger, audit: ClusterAudit): void {
  const clusterLog = logger.createChild({ persistentKeys: { cluster: audit.cluster.name, region: audit.cluster.region ?? null } });
  const details = { findings: audit.findings.length, kubernetes_requests: audit.requests };
  if (audit.failure === undefined) clusterLog.info('cluster audited', details);
  else clusterLog.warn('cluster not audited', { ...details, reason: audit.failure });
  // The control finding lists them too; the log line makes an incomplete audit visible where operators look first.
  const skipped = audit.skipped ?? [];
  if (skipped.length > 0) {
    clusterLog.warn('objects skipped', { skipped: skipped.length, first: skipped.slice(0, LOGGED_SKIPS).map(skippedWarning) });
  }
}

/** What the run did, also when it failed part-way (what is unknown counts as 0, and the run as not completed). */
function runOutcome(records: ClusterRecord[] | undefined, report: RunReport | undefined, durationMs: number): RunOutcome {
  return {
    clusters: records?.length ?? 0,
    failedClusters: report?.summary.failedClusters.length ?? records?.filter((record) => record.failure !== undefined).length ?? 0,
    storeFailures: report?.storeFailures.length ?? records?.filter((record) => record.storeFailure !== undefined).length ?? 0,
    findings: report?.summary.findings ?? { PASS: 0, FAIL: 0, UNKNOWN: 0 },
    durationMs,
    completed: report !== undefined,
  };
}
