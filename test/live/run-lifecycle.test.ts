/**
 * The finding lifecycle in the handler: two scheduled runs over a changed cluster, with the findings store, the state
 * objects and the suppressions object in a real S3 server (s3rver), EKS and SNS through aws-sdk-client-mock.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { DescribeClusterCommand, EKSClient, ListAddonsCommand, ListClustersCommand } from '@aws-sdk/client-eks';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { mockClient } from 'aws-sdk-client-mock';
import type { Finding } from '../../lambda/audit/finding.js';
import type { KubeInventory } from '../../lambda/audit/snapshot.js';
import { createEksClient } from '../../lambda/collect/eks.js';
import { loadOfflineSnapshot } from '../../lambda/collect/offline.js';
import { loadConfig } from '../../lambda/config.js';
import { createHandler, type HandlerDependencies } from '../../lambda/live/run-handler.js';
import { createSecurityHubClient } from '../../lambda/report/security-hub.js';
import { BatchImportFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { decodeFindings } from '../../lambda/report/jsonl.js';
import { stateKey } from '../../lambda/report/run-state.js';
import { runStartKey } from '../../lambda/report/run-start.js';
import type { KubeApiServer } from '../support/kube-api-server.js';
import { startS3Server, type S3TestServer } from '../support/s3-server.js';
import { FAST_COLLECT, TEST_CREDENTIALS, describedCluster, startEksApiServer } from './fixtures.js';

const REGION = 'eu-west-1';
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:netpol-alerts';
const SUPPRESSIONS_KEY = 'config/suppressions.yaml';
const eks = mockClient(EKSClient);
const sns = mockClient(SNSClient);
let s3Server: S3TestServer;
let s3: S3Client;
let day1: KubeApiServer;
let day2: KubeApiServer;

/** The example cluster without the objects of `namespace`. */
function without(inventory: KubeInventory, namespace: string): KubeInventory {
  return Object.fromEntries(
    Object.entries(inventory).map(([bucket, objects]) => [
      bucket,
      (objects as Array<{ kind?: string; metadata: { name: string; namespace?: string } }>).filter(
        ({ kind, metadata }) => metadata.namespace !== namespace && !(kind === 'Namespace' && metadata.name === namespace),
      ),
    ]),
  ) as KubeInventory;
}

function event(time: string) {
  return { version: '0', id: `event-${time}`, 'detail-type': 'Scheduled Event', source: 'aws.events', account: '123456789012', time, region: REGION, resources: [], detail: {} };
}

beforeAll(async () => {
  const example = await loadOfflineSnapshot(
    { kube: ['examples/shop-eu/cluster.json'], eksAddons: [] },
    () => undefined,
  );
  // Day 1 has no web namespace; on day 2 it is there and analytics is gone.
  day1 = await startEksApiServer(without(example.kube, 'web'));
  day2 = await startEksApiServer(without(example.kube, 'analytics'));
  s3Server = await startS3Server();
  s3 = new S3Client(s3Server.clientConfig);
});
afterAll(async () => {
  await Promise.all([day1.close(), day2.close(), s3Server.stop()]);
});
afterEach(() => {
  eks.reset();
  sns.reset();
  jest.restoreAllMocks();
});

/** A run at `time` (the handler's clock); by default the scheduled event of that time, else `invocation`. */
async function run(
  time: string,
  server: KubeApiServer,
  env: Record<string, string> = {},
  extra: Partial<HandlerDependencies> = {},
  invocation: { event: unknown; requestId: string } = { event: event(time), requestId: `request-${time}` },
) {
  eks.reset();
  sns.reset();
  eks.on(ListClustersCommand).resolves({ clusters: ['shop'] });
  eks.on(DescribeClusterCommand).resolves({ cluster: describedCluster('shop', REGION, server) });
  eks.on(ListAddonsCommand).resolves({ addons: [] });
  sns.on(PublishCommand).resolves({ MessageId: 'message-1' });
  const logged: string[] = [];
  for (const stream of [process.stdout, process.stderr]) {
    jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      logged.push(chunk.toString());
      return true;
    });
  }
  const handler = createHandler({
    config: loadConfig({ FINDINGS_BUCKET: s3Server.bucket, AUDIT_REGIONS: REGION, ALERT_TOPIC_ARN: TOPIC, SUPPRESSIONS_KEY, ...env }),
    logger: new Logger({ serviceName: 'eks-netpol-auditor' }),
    metrics: new Metrics({ namespace: 'EksNetpolAuditor', serviceName: 'eks-netpol-auditor' }),
    eksFor: (region) => createEksClient(region),
    s3,
    sns: new SNSClient({ region: REGION }),
    credentials: async () => TEST_CREDENTIALS,
    collect: FAST_COLLECT,
    clock: () => new Date(time),
    ...extra,
  });
  const summary = await handler(invocation.event, { awsRequestId: invocation.requestId });
  jest.restoreAllMocks();
  const [key] = summary.keys;
  const object = await s3.send(new GetObjectCommand({ Bucket: s3Server.bucket, Key: key }));
  const findings = decodeFindings(Buffer.from(await object.Body!.transformToByteArray()));
  const messages = sns.commandCalls(PublishCommand).map((call) => call.args[0].input.Message ?? '');
  return { summary, findings, messages, logged: logged.join('') };
}

/** Each run of a cluster made of the example without `web`, then without `analytics`, importing into Security Hub. */
async function importingRuns() {
  const hub = mockClient(SecurityHubClient);
  hub.on(BatchImportFindingsCommand).callsFake((input: { Findings: Array<{ Id: string }> }) => ({
    SuccessCount: input.Findings.length - 1,
    FailedCount: 1,
    FailedFindings: [{ Id: input.Findings[0]!.Id, ErrorCode: 'InvalidInput', ErrorMessage: 'refused for the test' }],
  }));
  const deps = { securityHubFor: (region: string) => createSecurityHubClient(region) };
  const env = { SECURITY_HUB: 'true', AUDITOR_ROLE_ARN: 'arn:aws:iam::123456789012:role/auditor' };
  await run('2025-07-01T06:00:00Z', day1, env, deps);
  hub.resetHistory();
  const second = await run('2025-07-02T06:00:00Z', day2, env, deps);
  const imported = hub.commandCalls(BatchImportFindingsCommand).flatMap((call) => call.args[0].input.Findings ?? []);
  hub.restore();
  return { second, imported };
}

const label = (finding: Finding) => `${finding.check_id} ${finding.resource.kind} ${finding.resource.namespace ?? ''}/${finding.resource.name}`;

describe('two scheduled runs over a changed cluster', () => {
  let first: Awaited<ReturnType<typeof run>>;
  let second: Awaited<ReturnType<typeof run>>;

  beforeAll(async () => {
    // The security team accepts the nightly report; day 2 reads the object again.
    await s3.send(new PutObjectCommand({
      Bucket: s3Server.bucket,
      Key: SUPPRESSIONS_KEY,
      Body: '- {check: "workload-*", namespace: analytics, name: nightly-report, reason: "batch job, no listener", expires: 2999-12-31}\n- {namespace: retired, reason: r, expires: 2999-12-31}\n',
    }));
    first = await run('2025-06-02T06:00:00Z', day1);
    second = await run('2025-06-03T06:00:00Z', day2);
  });

  it('says new on the first run and ongoing, new and resolved on the second, with first_seen carried', () => {
    // Assess
    const failing = (finding: Finding) => finding.status === 'FAIL';
    expect(first.findings.filter(failing).every((finding) => finding.change === 'new' && finding.first_seen === '2025-06-02T06:00:00.000Z')).toBe(true);
    const after = new Map(second.findings.map((finding) => [label(finding), finding]));
    expect(after.get('namespace-coverage Namespace /default')).toMatchObject({ change: 'ongoing', first_seen: '2025-06-02T06:00:00.000Z' });
    expect(after.get('workload-coverage Deployment web/legacy-admin')).toMatchObject({ status: 'FAIL', change: 'new', first_seen: '2025-06-03T06:00:00.000Z' });
    expect(after.get('workload-coverage Deployment analytics/metabase')).toMatchObject({ status: 'PASS', change: 'resolved', evidence: { gone: true } });
  });

  it('keeps the cluster state in one small object pointing at the latest run and the one before', async () => {
    // Act
    const object = await s3.send(new GetObjectCommand({ Bucket: s3Server.bucket, Key: stateKey(second.findings[0]!.cluster) }));
    const state = JSON.parse(await object.Body!.transformToString()) as unknown;

    // Assess
    expect(state).toEqual({
      latest: { run_id: second.summary.runId, observed_at: '2025-06-03T06:00:00.000Z', key: second.summary.keys[0] },
      previous: { run_id: first.summary.runId, observed_at: '2025-06-02T06:00:00.000Z', key: first.summary.keys[0] },
    });
  });

  it('applies the suppressions object: the accepted failure is marked, not alerted, and counted', () => {
    // Assess
    const nightly = first.findings.filter((finding) => finding.resource.name === 'nightly-report' && finding.status === 'FAIL');
    expect(nightly.map((finding) => finding.suppression?.entry)).toEqual([`s3://${s3Server.bucket}/${SUPPRESSIONS_KEY}#1`, `s3://${s3Server.bucket}/${SUPPRESSIONS_KEY}#1`]);
    const [alert] = first.messages;
    expect(alert).not.toContain('nightly-report');
    expect(alert).toMatch(/\b1 suppressed \(accepted risks, not listed\)/);
    expect(alert).toContain(`suppression s3://${s3Server.bucket}/${SUPPRESSIONS_KEY}#2 (namespace retired) matched no finding`);
  });

  it('alerts on day 2 with the new failures in full, the ongoing ones counted per check, and the resolved count', () => {
    // Assess
    const [alert] = second.messages;
    expect(alert).toContain('Deployment web/legacy-admin');
    expect(alert).not.toContain('Namespace default:');
    expect(alert).toMatch(/Still failing since the previous run \(not listed again\): namespace-coverage 1/);
    expect(alert).toMatch(/1 new failure \(1 Medium\) at or above Medium/);
    expect(alert).toMatch(/1 still failing, 3 resolved since the previous run/);
  });

  it('a third run with nothing new sends no alert', async () => {
    // Act
    const third = await run('2025-06-04T06:00:00Z', day2);

    // Assess
    expect(third.findings.filter((finding) => finding.status === 'FAIL').every((finding) => finding.change === 'ongoing')).toBe(true);
    expect(third.messages).toEqual([]);
    expect(third.summary.alerted).toBe(false);
  });
});

describe('the Security Hub import', () => {
  it('imports every finding of the run, PASS ones included and the gone ones archived, and reports what was refused', async () => {
    // Act
    const { second, imported } = await importingRuns();

    // Assess
    expect(imported).toHaveLength(second.findings.length);
    expect(new Set(imported.map((item) => item.Compliance?.Status))).toEqual(new Set(['PASSED', 'FAILED']));
    const gone = second.findings.filter((finding) => finding.evidence.gone === true).map((finding) => finding.finding_id);
    expect(gone.length).toBeGreaterThan(0);
    expect(imported.filter((item) => item.RecordState === 'ARCHIVED').map((item) => item.Id).sort()).toEqual(gone.sort());
    expect(second.logged).toMatch(/findings not imported into Security Hub.*refused for the test/);
    expect(second.logged).toMatch(/"SecurityHubFailures":1/);
  });
});

describe('a manual run retried after midnight UTC', () => {
  it('files the retry under the first attempt\'s day, so it overwrites that attempt\'s objects', async () => {
    // Prepare: Lambda retries an asynchronous invocation under the same request id
    const manual = { event: { clusters: ['shop'] }, requestId: 'a1b2c3d4-retried' };

    // Act
    const first = await run('2025-07-03T23:59:50Z', day1, {}, {}, manual);
    const retry = await run('2025-07-04T00:06:00Z', day1, {}, {}, manual);

    // Assess
    expect(first.summary.keys).toEqual([expect.stringMatching(/^findings\/dt=2025-07-03\/manual-a1b2c3d4-retried-123456789012-eu-west-1-shop\.jsonl\.gz$/)]);
    expect(retry.summary.keys).toEqual(first.summary.keys);
    // The findings still say when each attempt observed them.
    expect(retry.findings.every((finding) => finding.observed_at === '2025-07-04T00:06:00.000Z')).toBe(true);
    const recorded = await s3.send(new GetObjectCommand({ Bucket: s3Server.bucket, Key: runStartKey('manual-a1b2c3d4-retried') }));
    expect(JSON.parse(await recorded.Body!.transformToString())).toEqual({ run_id: 'manual-a1b2c3d4-retried', started_at: '2025-07-03T23:59:50.000Z' });
  });

  it('falls back on the clock, with a warning, when the recorded start cannot be read', async () => {
    // Prepare
    await s3.send(new PutObjectCommand({ Bucket: s3Server.bucket, Key: runStartKey('manual-garbled'), Body: 'not json' }));

    // Act
    const attempt = await run('2025-07-05T00:01:00Z', day1, {}, {}, { event: {}, requestId: 'garbled' });

    // Assess
    expect(attempt.summary.keys).toEqual([expect.stringMatching(/^findings\/dt=2025-07-05\/manual-garbled-/)]);
    expect(attempt.logged).toContain('run start not recorded');
    expect(attempt.logged).toContain(`s3://${s3Server.bucket}/${runStartKey('manual-garbled')} is not JSON`);
  });
});
