/**
 * The Lambda handler's logic with its dependencies passed in: validate the event, audit the clusters, store the
 * findings, alert, emit the run's metrics and return its summary. `lambda/handler.ts` wires the real clients,
 * Logger and Metrics at cold start; tests wire local servers and mocks.
 */
import type { EKSClient } from '@aws-sdk/client-eks';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { AuditorConfig } from '../config.js';
import { reportRun, type RunReport, type RunSummary } from './audit-run.js';
import { failedClustersOf, type ClusterAudit, type LiveAuditOptions } from './cluster-audit.js';
import { auditEksFleet, type EksFleetAudit } from './eks-fleet.js';
import { parseInvocation } from './invocation.js';

/** Metric names the handler emits (namespace and `service` dimension come from Powertools' environment). */
export const RunMetric = {
  ClustersAudited: 'ClustersAudited',
  FailedClusters: 'FailedClusters',
  FindingsPass: 'FindingsPass',
  FindingsFail: 'FindingsFail',
  FindingsUnknown: 'FindingsUnknown',
  DurationMs: 'DurationMs',
  /** 1 for a run whose findings were all stored; the stack's staleness alarm watches it. */
  SuccessfulRuns: 'SuccessfulRuns',
  AlertFailures: 'AlertFailures',
} as const;

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
  /** Signs the EKS tokens: the function's own credentials. */
  credentials: AwsCredentialIdentityProvider;
  /** Kubernetes collection tuning (tests). */
  collect?: LiveAuditOptions['collect'];
  clock?: () => Date;
}

/** The part of the Lambda context the handler reads. */
export interface InvocationContext {
  awsRequestId: string;
}

/** A Lambda handler over `deps`. */
export type AuditHandler = (event: unknown, context: InvocationContext) => Promise<RunSummary>;

/**
 * Builds the handler. Per invocation: validate the event (an invalid one throws an InvocationError before any
 * work), audit every matching cluster with bounded concurrency, store, alert, then emit metrics — on every run, also
 * when it throws — and return the summary. Every log line carries `run_id`; every line about one cluster also
 * carries `cluster` and `region`. Throws only when the event is invalid or no findings could be stored.
 */
export function createHandler(deps: HandlerDependencies): AuditHandler {
  const { config, logger, metrics } = deps;
  const clock = deps.clock ?? (() => new Date());
  return async (event, context) => {
    const invocation = parseInvocation(event, context.awsRequestId);
    const started = clock();
    logger.appendKeys({ run_id: invocation.runId });
    let fleet: EksFleetAudit | undefined;
    let report: RunReport | undefined;
    try {
      const regions = invocation.regions ?? config.regions;
      logger.info('audit started', { kind: invocation.kind, regions, clusters: invocation.clusters ?? 'all matching' });
      fleet = await auditEksFleet({
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
          collect: { ...deps.collect, ...(config.roleArn ? { roleArn: config.roleArn } : {}) },
        },
        onClusterDone: (audit) => logClusterDone(logger, audit),
      });
      report = await reportRun(
        invocation.runId,
        fleet,
        {
          s3: deps.s3,
          store: { bucket: config.bucket, prefix: config.prefix },
          ...(config.topicArn && deps.sns ? { alerts: { sns: deps.sns, topicArn: config.topicArn } } : {}),
          threshold: config.alertThreshold,
          concurrency: config.concurrency,
        },
        {
          storeFailed: (failure) => logger.error('findings not stored', { cluster: failure.cluster.name, region: failure.cluster.region, reason: failure.reason }),
          alertFailed: (reason) => {
            logger.error('alert not sent', { reason });
            metrics.addMetric(RunMetric.AlertFailures, MetricUnit.Count, 1);
          },
        },
      );
      logger.info('audit finished', { summary: report.summary });
      return report.summary;
    } catch (error) {
      logger.error('audit failed', { reason: (error as Error).message });
      throw error;
    } finally {
      emitRunMetrics(metrics, fleet, report, clock().getTime() - started.getTime());
      logger.resetKeys();
    }
  };
}

function logClusterDone(logger: Logger, audit: ClusterAudit): void {
  const clusterLog = logger.createChild({ persistentKeys: { cluster: audit.cluster.name, region: audit.cluster.region ?? null } });
  const details = { findings: audit.findings.length, kubernetes_requests: audit.requests };
  if (audit.failure === undefined) clusterLog.info('cluster audited', details);
  else clusterLog.warn('cluster not audited', { ...details, reason: audit.failure });
}

/** The run's metrics, also for a run that failed part-way (what is unknown counts as 0; SuccessfulRuns is then 0). */
function emitRunMetrics(metrics: Metrics, fleet: EksFleetAudit | undefined, report: RunReport | undefined, durationMs: number): void {
  const counts = report?.summary.findings ?? { PASS: 0, FAIL: 0, UNKNOWN: 0 };
  const failed = report?.summary.failedClusters.length ?? (fleet ? failedClustersOf(fleet.audits).length : 0);
  metrics.addMetric(RunMetric.ClustersAudited, MetricUnit.Count, fleet?.audits.length ?? 0);
  metrics.addMetric(RunMetric.FailedClusters, MetricUnit.Count, failed);
  metrics.addMetric(RunMetric.FindingsPass, MetricUnit.Count, counts.PASS);
  metrics.addMetric(RunMetric.FindingsFail, MetricUnit.Count, counts.FAIL);
  metrics.addMetric(RunMetric.FindingsUnknown, MetricUnit.Count, counts.UNKNOWN);
  metrics.addMetric(RunMetric.DurationMs, MetricUnit.Milliseconds, durationMs);
  metrics.addMetric(RunMetric.SuccessfulRuns, MetricUnit.Count, report?.storeFailures.length === 0 ? 1 : 0);
  metrics.publishStoredMetrics();
}
