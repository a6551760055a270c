/**
 * The organization mode's Lambda entry points, one module for the five functions of the state machine (each
 * function's `handler` setting names its export). Clients and the configuration are created on a function's first
 * invocation and reused while it stays warm; an invalid configuration fails every invocation with its one-line
 * message. The report emits the run's metrics (lambda/live/run-metrics.ts), as the single-account handler does. See
 * lambda/org/ for what each step does.
 */
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { SFNClient } from '@aws-sdk/client-sfn';
import { STSClient } from '@aws-sdk/client-sts';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { createAuditBatchHandler, createRecordFailureHandler } from './org/audit-batch.js';
import { memberAccess, type MemberAccess } from './org/member-access.js';
import { ORG_ENV, loadOrgConfig, memberRoleArn, type OrgConfig } from './org/org-config.js';
import { createPlanHandler } from './org/plan.js';
import { createReportHandler } from './org/report.js';
import type { ReportingEvents } from './live/audit-run.js';
import { createStartHandler } from './org/start.js';
import { createS3Client } from './report/s3-store.js';
import { createSnsClient } from './report/sns-alert.js';
import { redactingJsonReplacer } from './secrets.js';

// Redacted as it is written, as the single-account handler's: no credential in use reaches the log group.
const logger = new Logger({ jsonReplacerFn: redactingJsonReplacer });

/** Memoizes `create` (the first call builds, later calls reuse). */
function once<T>(create: () => T): () => T {
  let value: { built: T } | undefined;
  return () => (value ??= { built: create() }).built;
}

const config = once((): OrgConfig => loadOrgConfig(process.env));
const s3 = once(() => createS3Client());
const access = once(
  (): MemberAccess =>
    memberAccess({
      sts: new STSClient({}),
      roleArn: (account) => memberRoleArn(config(), account),
      sessionName: 'eks-netpol-auditor',
    }),
);

/** Wraps a handler factory: built on first use; a failure is logged as one line with the handler's name. */
function entry<E, C, R>(name: string, build: () => (event: E, context: C) => Promise<R>): (event: E, context: C) => Promise<R> {
  const handler = once(build);
  return async (event, context) => {
    try {
      return await handler()(event, context);
    } catch (error) {
      logger.error(`${name} failed: ${(error as Error).message}`);
      throw error;
    }
  };
}

/** EventBridge target: starts the run's execution, named after the run id. */
export const start = entry('start', () =>
  createStartHandler({ sfn: new SFNClient({}), stateMachineArn: process.env[ORG_ENV.stateMachineArn] ?? '' }),
);

/** Plan state: accounts, member roles, clusters; the cluster list to S3. */
export const plan = entry('plan', () =>
  createPlanHandler({ config: config(), organizations: new OrganizationsClient({ region: 'us-east-1' }), access: access(), s3: s3() }),
);

/** What went wrong while storing a batch's clusters, logged as the single-account handler logs it. */
const storeEvents: ReportingEvents = {
  historyFailed: (failure) =>
    logger.warn('not compared with the previous run', { cluster: failure.cluster.name, region: failure.cluster.region, account: failure.cluster.accountId, reason: failure.reason }),
};

/** The batch's dependencies: configuration, member access, S3, and where its problems are logged. */
const batchDependencies = () => ({
  config: config(),
  access: access(),
  s3: s3(),
  events: storeEvents,
  suppressionsFailed: (reason: string) => logger.error('suppressions not applied', { reason }),
});

/** Distributed Map child: audits and stores one batch of clusters. */
export const auditBatch = entry('audit', () => createAuditBatchHandler(batchDependencies()));

/** The child's Catch: UNKNOWN findings for each cluster of a failed batch. */
export const recordFailure = entry('record-failure', () => createRecordFailureHandler(batchDependencies()));

/** Report state: one alert for the run. */
export const report = entry('report', () => {
  const settings = config();
  return createReportHandler({
    config: settings,
    s3: s3(),
    ...(settings.topicArn ? { sns: createSnsClient({ region: settings.topicArn.split(':')[3] }) } : {}),
    alertFailed: (reason) => logger.error('alert not sent', { reason }),
    metrics: new Metrics(),
  });
});
