/**
 * Child process: one organization run, end to end and locally, as test/org/organization-run.test.ts runs it — the
 * synthesized state machine executed by aws-local-stepfunctions with the real handlers — over a simulated
 * organization with latency on every AWS and Kubernetes request. `run-organization.ts SPEC_JSON` (an
 * {@link OrganizationSpec}); reports an {@link OrganizationMeasurement}. Every S3 request is counted at the client.
 */
import { performance } from 'node:perf_hooks';
import { createS3Client } from '../../lambda/report/s3-store.js';
import { createSnsClient } from '../../lambda/report/sns-alert.js';
import type { OrgRunSummary } from '../../lambda/org/report.js';
import { runLocally, type LocalRunStats } from '../../test/support/local-state-machine.js';
import { organizationConfig, organizationDefinition, organizationHandlers } from '../../test/support/organization-harness.js';
import { startS3Server } from '../../test/support/s3-server.js';
import { simulateOrganization } from '../../test/support/simulated-organization.js';
import { startSnsServer } from '../../test/support/sns-server.js';
import { peakRssBytes, reportResult } from '../child-process.js';

/** The organization and the fan-out settings. */
export interface OrganizationSpec {
  accounts: number;
  regions: string[];
  clustersPerRegion: number;
  latencyMs: number;
  mapConcurrency: number;
  clustersPerBatch: number;
}

/** What one run took and asked for. */
export interface OrganizationMeasurement {
  wallMs: number;
  summary: OrgRunSummary;
  stats: LocalRunStats;
  /** The most EKS requests in flight at once in any account, and the median over accounts. */
  peakEksPerAccount: { max: number; median: number };
  requests: Record<string, number>;
  peakRss: number;
  /** The first "not audited" lines of the run's alert, when any cluster could not be audited. */
  notAuditedSample: string[];
}

async function measure(spec: OrganizationSpec): Promise<OrganizationMeasurement> {
  const [s3Server, snsServer] = await Promise.all([startS3Server(), startSnsServer()]);
  const organization = await simulateOrganization({ ...spec, kubeServers: 8 });
  const s3 = createS3Client(s3Server.clientConfig);
  const s3Requests: Record<string, number> = {};
  s3.middlewareStack.add(
    (next, context) => (args) => {
      s3Requests[context.commandName ?? 'unknown'] = (s3Requests[context.commandName ?? 'unknown'] ?? 0) + 1;
      return next(args);
    },
    { step: 'initialize', name: 'countRequests' },
  );
  const sns = createSnsClient({ endpoint: snsServer.endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'AKIABENCHSNS', secretAccessKey: 'bench' } });
  try {
    const definition = organizationDefinition(s3Server.bucket, { mapConcurrency: String(spec.mapConcurrency), clustersPerBatch: String(spec.clustersPerBatch) });
    const handlers = organizationHandlers(organizationConfig(s3Server.bucket, { AUDIT_CONCURRENCY: String(spec.clustersPerBatch) }), s3, sns);
    const started = performance.now();
    const { output, stats } = await runLocally({ definition, s3, handlers, executionName: 'bench-run', startTime: new Date().toISOString() });
    const wallMs = performance.now() - started;
    const peaks = [...organization.peakEksConcurrency.values()].sort((a, b) => a - b);
    return {
      wallMs,
      summary: output as OrgRunSummary,
      stats,
      peakEksPerAccount: { max: peaks.at(-1) ?? 0, median: peaks[peaks.length >> 1] ?? 0 },
      requests: {
        ...organization.requests,
        kubernetes: organization.kubeRequests(),
        s3Put: s3Requests.PutObjectCommand ?? 0,
        s3Get: s3Requests.GetObjectCommand ?? 0,
        snsPublish: snsServer.published.length,
      },
      peakRss: peakRssBytes(),
      notAuditedSample: (snsServer.published[0]?.message ?? '').split('\n').filter((line) => line.startsWith('  - ')).slice(0, 3),
    };
  } finally {
    await organization.stop();
    s3.destroy();
    sns.destroy();
    await Promise.all([s3Server.stop(), snsServer.stop()]);
  }
}

reportResult(await measure(JSON.parse(process.argv[2] ?? '{}') as OrganizationSpec));
