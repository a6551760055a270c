/**
 * The organization run end to end, locally: the synthesized state machine (tokens resolved) executed by
 * aws-local-stepfunctions with the real handlers, its Distributed Map emulated as the definition declares it, over
 * 200 simulated clusters in 20 accounts and 2 regions with latency and faults — a member role missing, a cluster
 * whose API cannot be reached, a batch whose handler throws, and a throttled invocation.
 */
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { SNSClient } from '@aws-sdk/client-sns';
import aslValidator from 'asl-validator';
import type { Finding } from '../../lambda/audit/finding.js';
import type { ClusterBatch } from '../../lambda/org/run-layout.js';
import type { OrgRunSummary } from '../../lambda/org/report.js';
import { decodeFindings } from '../../lambda/report/jsonl.js';
import { createS3Client } from '../../lambda/report/s3-store.js';
import { createSnsClient } from '../../lambda/report/sns-alert.js';
import { ORG_STATES } from '../../lib/org-state-machine.js';
import { runLocally, type AslDefinition, type LocalRunStats } from '../support/local-state-machine.js';
import { UNHURRIED_COLLECT, UNHURRIED_ENV, organizationConfig, organizationDefinition, organizationHandlers } from '../support/organization-harness.js';
import { startS3Server, type S3TestServer } from '../support/s3-server.js';
import { accountId, simulateOrganization, type SimulatedOrganization } from '../support/simulated-organization.js';
import { startSnsServer, type SnsTestServer } from '../support/sns-server.js';

const RUN_ID = '20261201T060000Z-0a1b2c3d';
const REGIONS = ['eu-west-1', 'us-east-1'];
const MISSING_ROLE = accountId(3);
const UNREACHABLE = { account: accountId(5), region: 'us-east-1', name: 'edge' };
const CRASHING = { account: accountId(7), region: 'eu-west-1', name: 'batch' };
const BATCH_SIZE = 4;

describe('an organization run of 200 clusters in 20 accounts and 2 regions', () => {
  let s3Server: S3TestServer;
  let snsServer: SnsTestServer;
  let s3: S3Client;
  let sns: SNSClient;
  let organization: SimulatedOrganization;
  let definition: AslDefinition;
  let pristine: string;
  let output: OrgRunSummary;
  let stats: LocalRunStats;
  let stored: Map<string, Finding[]>;

  beforeAll(async () => {
    [s3Server, snsServer] = await Promise.all([startS3Server(), startSnsServer()]);
    s3 = createS3Client(s3Server.clientConfig);
    sns = createSnsClient({ endpoint: snsServer.endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'AKIASNSLOCAL', secretAccessKey: 'local' } });
    organization = await simulateOrganization({ accounts: 20, regions: REGIONS, clustersPerRegion: 5, latencyMs: 2, missingRole: [3], unreachable: [UNREACHABLE] });
    definition = organizationDefinition(s3Server.bucket, { clustersPerBatch: String(BATCH_SIZE), mapConcurrency: '10' });
    pristine = JSON.stringify(definition);

    // Failing clusters fail fast (the collection's own retries are tested elsewhere); healthy ones never time out,
    // however loaded the machine is.
    const handlers = organizationHandlers(organizationConfig(s3Server.bucket, UNHURRIED_ENV), s3, sns, UNHURRIED_COLLECT);
    const audit = handlers[ORG_STATES.auditBatch]!;
    handlers[ORG_STATES.auditBatch] = async (payload) => {
      const { Items } = payload as ClusterBatch;
      if (Items.some((item) => item.account === CRASHING.account && item.region === CRASHING.region && item.name === CRASHING.name)) {
        throw new TypeError('simulated crash: cannot read properties of undefined');
      }
      return audit(payload);
    };
    let throttled = false;
    const run = await runLocally({
      definition,
      s3,
      handlers,
      executionName: RUN_ID,
      startTime: new Date().toISOString(),
      retryPauseMs: 1,
      // The Lambda service refuses the first child invocation once, as it does when the account's concurrency is used up.
      beforeInvoke: (state) => {
        if (state !== ORG_STATES.auditBatch || throttled) return;
        throttled = true;
        throw Object.assign(new Error('Rate Exceeded.'), { name: 'Lambda.TooManyRequestsException' });
      },
    });
    output = run.output as OrgRunSummary;
    stats = run.stats;
    stored = await readStore(s3, s3Server.bucket, 'findings/');
  }, 600_000);

  afterAll(async () => {
    await organization?.stop();
    s3?.destroy();
    sns?.destroy();
    await Promise.all([s3Server?.stop(), snsServer?.stop()]);
  });

  // The local engine starts the execution now, so the partition is today's: objects are found by file name.
  const objectNamed = (file: string) => [...stored.entries()].find(([key]) => key.endsWith(`/${file}`))?.[1];
  const objectOf = (cluster: { account: string; region: string; name: string }) =>
    objectNamed(`${RUN_ID}-${cluster.account}-${cluster.region}-${cluster.name}.jsonl.gz`);
  const controlOf = (findings: Finding[] | undefined) => findings?.find((finding) => finding.check_id === 'control');

  it('synthesizes a definition asl-validator accepts', () => {
    // Act
    const result = aslValidator(JSON.parse(pristine));

    // Assess
    expect(result.errorsText()).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('declares the Distributed Map exactly as the local run emulates it, pointers only between states', () => {
    // Prepare
    const { Plan: plan, Audit: audit } = JSON.parse(pristine).States;

    // Act
    const batch = audit.ItemProcessor.States[ORG_STATES.auditBatch];

    // Assess
    expect(plan.ResultSelector).toEqual({ 'plan.$': '$.Payload' });
    expect(audit.ItemReader).toEqual({
      Resource: 'arn:aws:states:::s3:getObject',
      ReaderConfig: { InputType: 'JSON' },
      Parameters: { Bucket: s3Server.bucket, 'Key.$': '$.plan.clustersKey' },
    });
    expect(audit.ItemBatcher).toEqual({ MaxItemsPerBatch: BATCH_SIZE, BatchInput: { 'runId.$': '$.plan.runId', 'observedAt.$': '$.plan.observedAt' } });
    expect(audit.ResultWriter).toEqual({ Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: s3Server.bucket, Prefix: 'org-runs/results' } });
    expect(audit).toMatchObject({ ToleratedFailurePercentage: 100, MaxConcurrency: 10, ResultPath: '$.results' });
    expect(audit.ItemProcessor.ProcessorConfig).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' });
    expect(batch.Retry).toEqual([
      expect.objectContaining({ ErrorEquals: expect.arrayContaining(['Lambda.TooManyRequestsException']), BackoffRate: 2, JitterStrategy: 'FULL' }),
    ]);
    expect(batch.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: ORG_STATES.recordFailure }]);
    const tasks = [plan, batch, audit.ItemProcessor.States[ORG_STATES.recordFailure], JSON.parse(pristine).States[ORG_STATES.report]];
    expect(tasks.every((task) => Number.isInteger(task.TimeoutSeconds))).toBe(true);
  });

  it('stores findings for every cluster of every reachable account, one object each, same names apart', () => {
    // Prepare
    const reachable = organization.clusters.filter((cluster) => cluster.account !== MISSING_ROLE);

    // Act
    const missing = reachable.filter((cluster) => !objectOf(cluster));

    // Assess
    expect(reachable).toHaveLength(190);
    expect(missing).toEqual([]);
    const prodKeys = [...stored.keys()].filter((key) => key.endsWith('-eu-west-1-prod.jsonl.gz'));
    expect(prodKeys).toHaveLength(19);
    for (const cluster of reachable) {
      expect(objectOf(cluster)!.every((finding) => finding.cluster.account_id === cluster.account && finding.cluster.name === cluster.name)).toBe(true);
    }
    expect(controlOf(objectOf({ account: accountId(0), region: 'eu-west-1', name: 'prod' }))?.status).toBe('FAIL');
  });

  it('gives the account whose member role is missing UNKNOWN findings naming the role, never a failed run', () => {
    // Act
    const findings = objectNamed(`${RUN_ID}-${MISSING_ROLE}-all_clusters.jsonl.gz`);

    // Assess
    expect(findings).toHaveLength(1);
    expect(controlOf(findings)).toMatchObject({ status: 'UNKNOWN', resource: { kind: 'Account', name: MISSING_ROLE } });
    expect(controlOf(findings)?.message).toContain(`cannot assume arn:aws:iam::${MISSING_ROLE}:role/eks-netpol-auditor-member: AccessDenied`);
    expect(controlOf(findings)?.remediation).toContain('Deploy the member role eks-netpol-auditor-member');
    expect(organization.clusters.filter((cluster) => cluster.account === MISSING_ROLE).some((cluster) => objectOf(cluster))).toBe(false);
  });

  it('makes the cluster whose API cannot be reached UNKNOWN', () => {
    // Act
    const control = controlOf(objectOf(UNREACHABLE));

    // Assess
    expect(control?.status).toBe('UNKNOWN');
  });

  it('turns a batch whose handler throws into UNKNOWN findings for each of its clusters, through the Catch', () => {
    // Prepare
    const engineOf = (findings: Finding[] | undefined) => findings?.find((finding) => finding.check_id === 'engine');
    const crashed = [...stored.values()].filter((findings) => engineOf(findings)?.message.includes('simulated crash'));

    // Act
    const clusters = crashed.map((findings) => findings[0]!.cluster.name);

    // Assess
    expect(crashed).toHaveLength(BATCH_SIZE);
    expect(clusters).toContain(CRASHING.name);
    expect(crashed.every((findings) => controlOf(findings)?.status === 'UNKNOWN')).toBe(true);
    expect(engineOf(objectOf(CRASHING))?.message).toContain('TypeError: simulated crash: cannot read properties of undefined');
    expect(stats.attempts[ORG_STATES.recordFailure]).toBe(1);
  });

  it('retries the throttled invocation and audits each batch once otherwise', () => {
    // Assess
    expect(stats.childExecutions).toBe(Math.ceil(190 / BATCH_SIZE));
    expect(stats.attempts[ORG_STATES.auditBatch]).toBe(stats.childExecutions + 1);
    expect(stats.peakChildren).toBeLessThanOrEqual(10);
  });

  it('sends one alert naming the accounts and clusters not audited', () => {
    // Act
    const [alert, ...others] = snsServer.published;

    // Assess
    expect(others).toEqual([]);
    expect(alert!.subject!.length).toBeLessThan(100);
    expect(alert!.message).toContain(`all clusters (account ${MISSING_ROLE}): cannot assume`);
    expect(alert!.message).toContain(`edge (us-east-1, account ${UNREACHABLE.account}):`);
    expect(alert!.message).toContain(`batch (eu-west-1, account ${CRASHING.account}): the audit of this cluster failed: TypeError: simulated crash`);
  });

  it('reports the run from the stored results, passing pointers only between states', () => {
    // Assess
    expect(output).toEqual({
      runId: RUN_ID,
      accounts: 20,
      clusters: 190,
      notAudited: 1 + 1 + BATCH_SIZE,
      findings: expect.objectContaining({ UNKNOWN: expect.any(Number) }),
      objects: 191,
      alerted: true,
    });
    expect(organization.requests.sts).toBeLessThan(200);
  });

  it('audits only ACTIVE accounts', () => {
    // Assess
    expect([...stored.keys()].some((key) => key.includes(organization.suspendedAccount))).toBe(false);
  });
});

async function readStore(s3: S3Client, bucket: string, prefix: string): Promise<Map<string, Finding[]>> {
  const objects = new Map<string, Finding[]>();
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const object of page.Contents ?? []) {
      const body = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: object.Key }));
      objects.set(object.Key!, decodeFindings(Buffer.from(await body.Body!.transformToByteArray())));
    }
    token = page.NextContinuationToken;
  } while (token);
  return objects;
}
