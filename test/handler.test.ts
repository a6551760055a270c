/**
 * The handler's logic over injected clients: EKS, S3 and SNS through aws-sdk-client-mock, each cluster's Kubernetes
 * API a real HTTPS test server, and the real Powertools Logger and Metrics writing to a captured stdout and stderr.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { DescribeClusterCommand, EKSClient, ListAddonsCommand, ListClustersCommand } from '@aws-sdk/client-eks';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { mockClient } from 'aws-sdk-client-mock';
import { loadConfig } from '../lambda/config.js';
import { createEksClient } from '../lambda/collect/eks.js';
import { RunStoreError } from '../lambda/live/audit-run.js';
import { InvocationError } from '../lambda/live/invocation.js';
import { createHandler, type AuditHandler } from '../lambda/live/run-handler.js';
import type { KubeApiServer } from './support/kube-api-server.js';
import { FAST_COLLECT, TEST_CREDENTIALS, describedCluster, passingInventory, startEksApiServer } from './live/fixtures.js';
import { ATHENA_NAMES } from '../lambda/report/athena.js';
import { decodeFindings } from '../lambda/report/jsonl.js';
import { redactingJsonReplacer } from '../lambda/secrets.js';

const REGION = 'eu-west-1';
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:netpol-alerts';
const eks = mockClient(EKSClient);
const s3 = mockClient(S3Client);
const sns = mockClient(SNSClient);
let healthy: KubeApiServer;
let broken: KubeApiServer;
let echoing: KubeApiServer;
let large: KubeApiServer;
let unreadable: KubeApiServer;
/** What the echoing server repeats in its error bodies: the secret key that signs the EKS tokens, and an EKS token. */
const ECHOED = `signature of secret ${TEST_CREDENTIALS.secretAccessKey} rejected`;
let output: string[]; // stdout and stderr, in write order

const scheduledEvent = {
  version: '0',
  id: '7bf73129-1428-4cd3-a780-95db273d1602',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '123456789012',
  time: '2025-06-02T06:00:00Z',
  region: REGION,
  resources: [],
  detail: {},
};

beforeAll(async () => {
  const inventory = await passingInventory();
  healthy = await startEksApiServer(inventory);
  broken = await startEksApiServer(inventory, [{ path: '/api/v1/pods', status: 500 }]);
  echoing = await startEksApiServer(inventory, [{ path: '/api/v1/namespaces', status: 500, message: ECHOED }]);
  large = await startEksApiServer(inventory, [{ path: '/api/v1/pods', mode: 'oversized', bytes: 3 * 2 ** 20 }]);
  unreadable = await startEksApiServer(inventory, [{ path: '/api/v1/pods', mode: 'bad-item' }]);
});
afterAll(async () => {
  await Promise.all([healthy.close(), broken.close(), echoing.close(), large.close(), unreadable.close()]);
});
afterEach(() => {
  eks.reset();
  s3.reset();
  sns.reset();
  jest.restoreAllMocks();
});

/**
 * Clusters `alpha` and `beta` are healthy; `gamma`, when asked for, fails mid-list; `echo` repeats a secret in its
 * errors; `large` answers the pods list with a 3 MiB page; `odd` with one pod whose metadata is null.
 */
function serveClusters(names: string[]): void {
  eks.on(ListClustersCommand).resolves({ clusters: names });
  const servers: Record<string, KubeApiServer> = { gamma: broken, echo: echoing, large, odd: unreadable };
  for (const name of names) {
    const server = servers[name] ?? healthy;
    eks.on(DescribeClusterCommand, { name }).resolves({ cluster: describedCluster(name, REGION, server) });
  }
  eks.on(ListAddonsCommand).resolves({ addons: [] });
  s3.on(PutObjectCommand).resolves({});
  sns.on(PublishCommand).resolves({ MessageId: 'message-1' });
}

function handlerUnderTest(clock?: () => Date, env: Record<string, string> = {}): AuditHandler {
  output = [];
  // Powertools writes info lines and metrics to stdout, warnings and errors to stderr; Lambda keeps both.
  for (const stream of [process.stdout, process.stderr]) {
    jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      output.push(chunk.toString());
      return true;
    });
  }
  return createHandler({
    config: loadConfig({ FINDINGS_BUCKET: 'findings', AUDIT_REGIONS: REGION, ALERT_TOPIC_ARN: TOPIC, ...env }),
    // As lambda/handler.ts builds it.
    logger: new Logger({ serviceName: 'eks-netpol-auditor', jsonReplacerFn: redactingJsonReplacer }),
    metrics: new Metrics({ namespace: 'EksNetpolAuditor', serviceName: 'eks-netpol-auditor' }),
    eksFor: (region) => createEksClient(region),
    s3: new S3Client({ region: REGION }),
    sns: new SNSClient({ region: REGION }),
    credentials: async () => TEST_CREDENTIALS,
    collect: FAST_COLLECT,
    ...(clock ? { clock } : {}),
  });
}

function jsonLines(): Array<Record<string, unknown>> {
  return output.flatMap((chunk) => chunk.split('\n')).filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
}

function logLines(): Array<Record<string, unknown>> {
  return jsonLines().filter((line) => !('_aws' in line));
}

/** The values of the run's EMF metrics, by name. */
function emittedMetrics(): Record<string, unknown> {
  const [emf, ...more] = jsonLines().filter((line) => '_aws' in line);
  expect(more).toEqual([]);
  return emf ?? {};
}

describe('createHandler', () => {
  it('audits every cluster, stores their findings, then alerts once naming the failed cluster', async () => {
    // Prepare
    serveClusters(['alpha', 'beta', 'gamma']);
    const handler = handlerUnderTest();

    // Act
    const summary = await handler(scheduledEvent, { awsRequestId: 'request-1' });

    // Assess
    expect(summary).toEqual({
      runId: expect.stringMatching(/^20250602T060000Z-[0-9a-f]{8}$/),
      clusters: 3,
      failedClusters: [{ name: 'gamma', region: REGION, reason: expect.stringMatching(/HTTP 500/) }],
      findings: { PASS: expect.any(Number), FAIL: 0, UNKNOWN: expect.any(Number) },
      keys: expect.arrayContaining([expect.stringMatching(/^findings\/dt=\d{4}-\d{2}-\d{2}\/20250602T060000Z-[0-9a-f]{8}-123456789012-eu-west-1-gamma\.jsonl\.gz$/)]),
      alerted: true,
    });
    expect(summary.keys).toHaveLength(3);
    const publishes = sns.commandCalls(PublishCommand);
    expect(publishes).toHaveLength(1);
    expect(publishes[0]?.args[0].input).toMatchObject({ TopicArn: TOPIC, Message: expect.stringContaining('gamma (eu-west-1') });
    // The alert carries a query the reader can paste into the workgroup the stack creates.
    expect(publishes[0]?.args[0].input.Message).toContain(`FROM "${ATHENA_NAMES.database}"."${ATHENA_NAMES.table}"`);
    expect(publishes[0]?.args[0].input.Message).toContain(ATHENA_NAMES.workgroup);
    expect(s3.commandCalls(PutObjectCommand).every((put) => put.calledBefore(publishes[0]!))).toBe(true);
  });

  it("names the deployment's own database and workgroup in the alert's query", async () => {
    // Prepare
    serveClusters(['alpha', 'gamma']);
    const handler = handlerUnderTest(undefined, { ATHENA_DATABASE: 'eks_netpol_auditor_staging', ATHENA_WORKGROUP: 'eks-netpol-auditor-staging' });

    // Act
    await handler(scheduledEvent, { awsRequestId: 'request-1' });

    // Assess
    const message = sns.commandCalls(PublishCommand)[0]?.args[0].input.Message;
    expect(message).toContain(`FROM "eks_netpol_auditor_staging"."${ATHENA_NAMES.table}"`);
    expect(message).toContain('eks-netpol-auditor-staging');
    expect(message).not.toContain(`"${ATHENA_NAMES.database}"`);
  });

  it('sends no alert when nothing failed, and still emits every metric of the run', async () => {
    // Prepare
    serveClusters(['alpha', 'beta']);
    const handler = handlerUnderTest();

    // Act
    const summary = await handler(scheduledEvent, { awsRequestId: 'request-1' });

    // Assess
    expect(summary).toMatchObject({ clusters: 2, failedClusters: [], findings: { FAIL: 0, UNKNOWN: 0 }, alerted: false });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    expect(emittedMetrics()).toMatchObject({
      service: 'eks-netpol-auditor',
      ClustersAudited: 2,
      FailedClusters: 0,
      StoreFailures: 0,
      FindingsPass: summary.findings.PASS,
      FindingsFail: 0,
      FindingsUnknown: 0,
      DurationMs: expect.any(Number),
      SuccessfulRuns: 1,
      _aws: { CloudWatchMetrics: [expect.objectContaining({ Namespace: 'EksNetpolAuditor', Dimensions: [['service']] })] },
    });
  });

  it('logs structured lines that all carry the run id, cluster lines the cluster, and never a token or secret', async () => {
    // Prepare
    serveClusters(['alpha', 'gamma']);
    const handler = handlerUnderTest();

    // Act
    const summary = await handler(scheduledEvent, { awsRequestId: 'request-1' });

    // Assess
    const lines = logLines();
    expect(lines.length).toBeGreaterThanOrEqual(4);
    expect(lines.every((line) => line.run_id === summary.runId)).toBe(true);
    expect(lines.filter((line) => /^cluster /.test(String(line.message))).map((line) => [line.cluster, line.region])).toEqual(
      expect.arrayContaining([['alpha', REGION], ['gamma', REGION]]),
    );
    const everything = output.join('');
    expect(everything).not.toMatch(/k8s-aws-v1\./);
    expect(everything).not.toContain(TEST_CREDENTIALS.secretAccessKey);
    expect(healthy.requests.some((request) => request.token?.startsWith('k8s-aws-v1.'))).toBe(true);
  });

  it('never lets a secret in use out, even when a server echoes it: not in logs, stored findings, the alert or the summary', async () => {
    // Prepare
    serveClusters(['alpha', 'echo']);
    const handler = handlerUnderTest();

    // Act
    const summary = await handler(scheduledEvent, { awsRequestId: 'request-1' });

    // Assess
    const stored = s3.commandCalls(PutObjectCommand).map((put) => JSON.stringify(decodeFindings(put.args[0].input.Body as Buffer)));
    const alert = sns.commandCalls(PublishCommand).map((publish) => JSON.stringify(publish.args[0].input));
    const outputs = [output.join(''), ...stored, ...alert, JSON.stringify(summary)];
    for (const text of outputs) expect(text).not.toContain(TEST_CREDENTIALS.secretAccessKey);
    expect(summary.failedClusters).toEqual([
      { name: 'echo', region: REGION, reason: expect.stringContaining('signature of secret <redacted> rejected') },
    ]);
    expect(stored.join('')).toContain('signature of secret <redacted> rejected');
    expect(alert.join('')).toContain('signature of secret <redacted> rejected');
  });

  it('audits only the clusters and regions of a manual invocation, under a run id from the request id', async () => {
    // Prepare
    serveClusters(['alpha', 'beta']);
    const handler = handlerUnderTest();

    // Act
    const summary = await handler({ clusters: ['beta'], regions: [REGION] }, { awsRequestId: 'c0ffee' });

    // Assess
    expect(summary).toMatchObject({ runId: 'manual-c0ffee', clusters: 1, keys: [expect.stringMatching(/manual-c0ffee-123456789012-eu-west-1-beta/)] });
  });

  it('files a retried scheduled run under its event day, whatever the clock says, so the retry overwrites its objects', async () => {
    // Prepare: the event fired just before midnight UTC; the first attempt ran then, the retry after midnight
    serveClusters(['alpha']);
    const event = { ...scheduledEvent, time: '2025-06-01T23:59:58Z' };
    const keysAt = async (now: string) => {
      s3.resetHistory();
      await handlerUnderTest(() => new Date(now))(event, { awsRequestId: 'request-1' });
      return s3.commandCalls(PutObjectCommand).map((put) => put.args[0].input.Key);
    };

    // Act
    const first = await keysAt('2025-06-01T23:59:59Z');
    const retry = await keysAt('2025-06-02T00:07:00Z');

    // Assess
    expect(first).toEqual([expect.stringMatching(/^findings\/dt=2025-06-01\/20250601T235958Z-[0-9a-f]{8}-123456789012-eu-west-1-alpha\.jsonl\.gz$/)]);
    expect(retry).toEqual(first);
    // The findings still say when they were observed.
    const body = s3.commandCalls(PutObjectCommand)[0]?.args[0].input.Body as Buffer;
    expect(decodeFindings(body).every((finding) => finding.observed_at === '2025-06-02T00:07:00.000Z')).toBe(true);
  });

  it.each([
    ['the default limit reads', {}, 'PASS'],
    ['MAX_BODY_MIB=1 abandons', { MAX_BODY_MIB: '1' }, 'UNKNOWN'],
  ])('%s a 3 MiB page of pods', async (_, env, status) => {
    // Prepare
    serveClusters(['large']);
    const handler = handlerUnderTest(undefined, env);

    // Act
    await handler(scheduledEvent, { awsRequestId: 'request-1' });

    // Assess
    const [stored] = s3.commandCalls(PutObjectCommand).map((put) => decodeFindings(put.args[0].input.Body as Buffer));
    const workloads = stored?.find((finding) => finding.check_id === 'workload-coverage');
    expect(workloads?.status).toBe(status);
    if (status === 'UNKNOWN') expect(workloads?.message).toContain('is larger than the 1 MiB limit');
  });

  it('logs the objects a cluster skipped as unreadable, as a warning on that cluster', async () => {
    // Prepare
    serveClusters(['alpha', 'odd']);
    const handler = handlerUnderTest();

    // Act
    await handler(scheduledEvent, { awsRequestId: 'request-1' });

    // Assess
    const skips = logLines().filter((line) => line.message === 'objects skipped');
    expect(skips).toEqual([
      expect.objectContaining({ level: 'WARN', cluster: 'odd', region: REGION, skipped: 1, first: [expect.stringMatching(/^GET \/api\/v1\/pods page 1 items\[\d+\] \(Pod no name\): .+; skipped$/)] }),
    ]);
  });

  it('rejects a malformed event before touching any cluster', async () => {
    // Prepare
    serveClusters(['alpha']);
    const handler = handlerUnderTest();

    // Act
    const run = handler({ clusters: 'alpha' }, { awsRequestId: 'request-1' });

    // Assess
    await expect(run).rejects.toThrow(InvocationError);
    expect(eks.calls()).toHaveLength(0);
  });

  it('throws when no findings could be stored, without alerting, and reports the run as unsuccessful', async () => {
    // Prepare
    serveClusters(['alpha', 'gamma']);
    s3.on(PutObjectCommand).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));
    const handler = handlerUnderTest();

    // Act
    const run = handler(scheduledEvent, { awsRequestId: 'request-1' });

    // Assess
    await expect(run).rejects.toThrow(RunStoreError);
    await expect(run).rejects.toThrow(/no findings could be stored: findings not stored: cannot store findings at s3:\/\/findings\/findings\/dt=/);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    expect(emittedMetrics()).toMatchObject({ ClustersAudited: 2, SuccessfulRuns: 0 });
  });
});
