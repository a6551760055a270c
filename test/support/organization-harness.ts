/**
 * The organization run as the tests and the benchmark execute it: the state machine definition synthesized from the
 * real stack (tokens resolved, the findings bucket being the local S3 server's), and the project's real handlers
 * wired to local clients — S3 and SNS on their local servers, Organizations, STS, Account and EKS through the SDK
 * clients that simulated-organization.ts mocks.
 */
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SNSClient } from '@aws-sdk/client-sns';
import { STSClient } from '@aws-sdk/client-sts';
import type { LiveAuditOptions } from '../../lambda/live/cluster-audit.js';
import { createAuditBatchHandler, createRecordFailureHandler } from '../../lambda/org/audit-batch.js';
import { memberAccess } from '../../lambda/org/member-access.js';
import { loadOrgConfig, memberRoleArn, type OrgConfig } from '../../lambda/org/org-config.js';
import { createPlanHandler } from '../../lambda/org/plan.js';
import { createReportHandler, type ReportDependencies } from '../../lambda/org/report.js';
import { ORG_STATES } from '../../lib/org-state-machine.js';
import { TEST_ENV, logicalId, synthOrganization } from '../lib/support/auditor-app.js';
import { resolvedDefinition, type AslDefinition, type LambdaHandler } from './local-state-machine.js';

/** Credentials for the local clients; nothing reaches AWS. */
const LOCAL_CREDENTIALS = { accessKeyId: 'AKIAHUBLOCALTEST', secretAccessKey: 'hub-local-secret' } as const;

/** The alert topic the report publishes to (the local SNS server accepts any). */
export const TOPIC_ARN = `arn:aws:sns:${TEST_ENV.region}:${TEST_ENV.account}:eks-netpol-alerts`;

/**
 * Collection and configuration for the organization tests, free of wall-clock limits a loaded machine could reach: a
 * Kubernetes request fails only for the faults a test injects (a refused connection fails at once), never because
 * the shared CPU made a healthy answer late; no retry pauses; each cluster's deadline the longest there is. A run
 * that hangs is still ended by the test's own (generous) timeout.
 */
export const UNHURRIED_COLLECT = { maxRetries: 1, timeoutMs: 600_000, sleep: async () => undefined } as const;
/** See {@link UNHURRIED_COLLECT}: the configuration variables that go with it. */
export const UNHURRIED_ENV = { CLUSTER_TIMEOUT_SECONDS: '900' } as const;

/** The synthesized definition with the stack's findings bucket resolved to `bucket`. */
export function organizationDefinition(bucket: string, context: Record<string, unknown> = {}): AslDefinition {
  const { stack, template } = synthOrganization(context);
  return resolvedDefinition(template.toJSON() as never, { ...TEST_ENV, refs: { [logicalId(stack, stack.store.bucket)]: bucket } });
}

/** The functions' configuration as the stack sets it, for a local bucket and topic. */
export function organizationConfig(bucket: string, env: Record<string, string> = {}): OrgConfig {
  return loadOrgConfig({ FINDINGS_BUCKET: bucket, ALERT_TOPIC_ARN: TOPIC_ARN, AWS_REGION: TEST_ENV.region, ...env });
}

/**
 * The real handlers by state name, over local clients; `collect` tunes collection (the defaults: production's),
 * `report` adds to the report's dependencies (its metrics, its clock).
 */
export function organizationHandlers(
  config: OrgConfig,
  s3: S3Client,
  sns?: SNSClient,
  collect: LiveAuditOptions['collect'] = {},
  report: Pick<ReportDependencies, 'metrics' | 'clock'> = {},
): Record<string, LambdaHandler> {
  const access = memberAccess({
    sts: new STSClient({ region: TEST_ENV.region, credentials: LOCAL_CREDENTIALS }),
    roleArn: (account) => memberRoleArn(config, account),
    sessionName: 'eks-netpol-auditor',
  });
  const batchDeps = { config, access, s3, collect };
  return {
    [ORG_STATES.plan]: createPlanHandler({
      config,
      organizations: new OrganizationsClient({ region: 'us-east-1', credentials: LOCAL_CREDENTIALS }),
      access,
      s3,
    }),
    [ORG_STATES.auditBatch]: createAuditBatchHandler(batchDeps),
    [ORG_STATES.recordFailure]: createRecordFailureHandler(batchDeps),
    [ORG_STATES.report]: createReportHandler({ config, s3, ...(sns ? { sns } : {}), ...report }),
  };
}
