/**
 * The run's deadline and store-as-you-go, through the handler against local servers: the EKS endpoint, one Kubernetes
 * API test server per cluster (one of them stuck), s3rver and the local SNS endpoint. A stuck cluster must not cost the
 * others their findings, nor the run its alert.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { loadConfig } from '../../lambda/config.js';
import { createEksClient } from '../../lambda/collect/eks.js';
import type { RunSummary } from '../../lambda/live/audit-run.js';
import { createHandler } from '../../lambda/live/run-handler.js';
import { createSnsClient } from '../../lambda/report/sns-alert.js';
import { startEksServer, type EksTestServer } from '../support/eks-server.js';
import type { KubeApiServer } from '../support/kube-api-server.js';
import { startS3Server, type S3TestServer } from '../support/s3-server.js';
import { startSnsServer, type SnsTestServer } from '../support/sns-server.js';
import { FAST_COLLECT, TEST_CREDENTIALS, describedCluster, passingInventory, startEksApiServer } from './fixtures.js';

const REGION = 'eu-west-1';
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:netpol-alerts';
/** What the fake Lambda context says is left of the invocation, and the margin the handler keeps of it. */
const REMAINING_MS = 8_000;
const MARGIN_MS = 1_000;

let healthy: KubeApiServer;
let stuck: KubeApiServer;
let eks: EksTestServer;
let s3Server: S3TestServer;
let sns: SnsTestServer;

beforeAll(async () => {
  const inventory = await passingInventory();
  healthy = await startEksApiServer(inventory);
  // Answers nothing for a minute: far past the run's deadline, and its requests never time out on their own first.
  stuck = await startEksApiServer(inventory, [{ path: '/api/v1/namespaces', delayMs: 60_000 }]);
  eks = await startEksServer([
    { cluster: describedCluster('alpha', REGION, healthy) },
    { cluster: describedCluster('beta', REGION, healthy) },
    { cluster: describedCluster('stuck', REGION, stuck) },
  ]);
  s3Server = await startS3Server();
  sns = await startSnsServer();
});
afterEach(() => {
  jest.restoreAllMocks();
});
afterAll(async () => {
  await Promise.all([healthy.close(), stuck.close(), eks.stop(), s3Server.stop(), sns.stop()]);
});

async function storedKeys(s3: S3Client): Promise<string[]> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: s3Server.bucket, Prefix: 'findings/' }));
  return (listed.Contents ?? []).map((object) => object.Key as string).sort();
}

describe('a run with one stuck cluster', () => {
  it('stores the healthy clusters while the stuck one still runs, then cuts it off at the deadline and alerts naming it', async () => {
    // Prepare
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const s3 = new S3Client(s3Server.clientConfig);
    const handler = createHandler({
      config: loadConfig({ FINDINGS_BUCKET: s3Server.bucket, AUDIT_REGIONS: REGION, ALERT_TOPIC_ARN: TOPIC }),
      logger: new Logger({ serviceName: 'eks-netpol-auditor' }),
      metrics: new Metrics({ namespace: 'EksNetpolAuditor', serviceName: 'eks-netpol-auditor' }),
      eksFor: (region) => createEksClient(region, { endpoint: eks.endpoint, credentials: TEST_CREDENTIALS }),
      s3,
      sns: createSnsClient({ region: REGION, endpoint: sns.endpoint, credentials: TEST_CREDENTIALS }),
      credentials: async () => TEST_CREDENTIALS,
      collect: { ...FAST_COLLECT, timeoutMs: 120_000 },
      runMarginMs: MARGIN_MS,
    });
    const context = { awsRequestId: 'request-1', getRemainingTimeInMillis: () => REMAINING_MS };
    let settled = false;

    // Act
    const run = handler({}, context).finally(() => (settled = true));
    let keysWhileRunning: string[] = [];
    while (!settled && keysWhileRunning.length < 2) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      keysWhileRunning = await storedKeys(s3);
    }
    const stuckStillRunning = !settled;
    const summary: RunSummary = await run;

    // Assess
    expect(stuckStillRunning).toBe(true);
    expect(keysWhileRunning).toEqual([
      expect.stringMatching(/-eu-west-1-alpha\.jsonl\.gz$/),
      expect.stringMatching(/-eu-west-1-beta\.jsonl\.gz$/),
    ]);
    // The stuck cluster got what was left of the run when its turn came: at most the 7 s the run had.
    const [failed] = summary.failedClusters;
    expect(failed).toEqual({ name: 'stuck', region: REGION, reason: expect.stringMatching(/^not finished within [\d.]+ s, the time left to the run$/) });
    expect(Number(/within ([\d.]+) s/.exec(failed?.reason ?? '')?.[1])).toBeLessThanOrEqual((REMAINING_MS - MARGIN_MS) / 1000);
    expect(await storedKeys(s3)).toEqual([...keysWhileRunning, expect.stringMatching(/-123456789012-eu-west-1-stuck\.jsonl\.gz$/)]);
    expect(sns.published).toHaveLength(1);
    expect(sns.published[0]?.message).toContain(`Not audited (1):\n  - stuck (eu-west-1, account 123456789012): ${failed?.reason}`);
    // The abandoned audit was aborted, not left running: its one request got no answer, and none followed.
    expect(stuck.requests.map((request) => [request.path, request.status])).toEqual([['/api/v1/namespaces', 0]]);
  });
});
