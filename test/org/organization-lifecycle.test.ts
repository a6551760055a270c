/**
 * The finding lifecycle in organization mode, through the synthesized state machine run locally with the real
 * handlers: the batches apply the suppressions (an object in the findings bucket, read again every run) and compare
 * each cluster with its previous run through its state object, as the single-account handler does; the report alerts
 * as `alertOn` says, names the suppression that matched nothing, and emits the run's metrics.
 */
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { SNSClient } from '@aws-sdk/client-sns';
import { jest } from '@jest/globals';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { CheckId, Status, type Finding } from '../../lambda/audit/finding.js';
import type { OrgRunSummary } from '../../lambda/org/report.js';
import { decodeFindings } from '../../lambda/report/jsonl.js';
import { stateKey } from '../../lambda/report/run-state.js';
import { createS3Client } from '../../lambda/report/s3-store.js';
import { createSnsClient } from '../../lambda/report/sns-alert.js';
import { runLocally, type AslDefinition } from '../support/local-state-machine.js';
import { UNHURRIED_COLLECT, UNHURRIED_ENV, organizationConfig, organizationDefinition, organizationHandlers } from '../support/organization-harness.js';
import { startS3Server, type S3TestServer } from '../support/s3-server.js';
import { accountId, simulateOrganization, type SimulatedOrganization } from '../support/simulated-organization.js';
import { startSnsServer, type SnsTestServer } from '../support/sns-server.js';

const SUPPRESSIONS_KEY = 'config/suppressions.yaml';
const SUPPRESSIONS = [
  '- {check: workload-coverage, namespace: web, name: legacy-admin, reason: retired next quarter, expires: 2999-12-31}',
  '- {namespace: gone-namespace, reason: a namespace deleted long ago, expires: 2999-12-31}',
].join('\n');
const RUNS = ['20261201T060000Z-0000aaaa', '20261202T060000Z-0000bbbb', '20261203T060000Z-0000cccc'] as const;
/** The report's clock: the run's duration is measured from the plan's start to it. */
const REPORT_TIME = new Date('2100-01-01T00:00:00.000Z');
const PROD = { account: accountId(0), region: 'eu-west-1', name: 'prod' };

describe('the finding lifecycle of an organization run', () => {
  let s3Server: S3TestServer;
  let snsServer: SnsTestServer;
  let s3: S3Client;
  let sns: SNSClient;
  let organization: SimulatedOrganization;
  let definition: AslDefinition;
  const outputs: OrgRunSummary[] = [];
  const metrics: Array<Record<string, unknown>> = [];
  const alertsAfter: number[] = [];

  /** Runs the state machine once with the functions configured by `env`, keeping its output, alerts and metrics. */
  async function organizationRun(runId: string, env: Record<string, string>): Promise<void> {
    const config = organizationConfig(s3Server.bucket, { ...UNHURRIED_ENV, SUPPRESSIONS_KEY, ...env });
    const report = { metrics: new Metrics({ namespace: 'EksNetpolAuditor', serviceName: 'eks-netpol-auditor' }), clock: () => REPORT_TIME };
    const handlers = organizationHandlers(config, s3, sns, UNHURRIED_COLLECT, report);
    const emitted: string[] = [];
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      emitted.push(chunk.toString());
      return true;
    });
    try {
      const { output } = await runLocally({ definition, s3, handlers, executionName: runId, startTime: new Date().toISOString(), retryPauseMs: 1 });
      outputs.push(output as OrgRunSummary);
    } finally {
      stdout.mockRestore();
    }
    metrics.push(...emitted.flatMap((chunk) => chunk.split('\n')).filter((line) => line.includes('"_aws"')).map((line) => JSON.parse(line) as Record<string, unknown>));
    alertsAfter.push(snsServer.published.length);
  }

  beforeAll(async () => {
    [s3Server, snsServer] = await Promise.all([startS3Server(), startSnsServer()]);
    s3 = createS3Client(s3Server.clientConfig);
    sns = createSnsClient({ endpoint: snsServer.endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'AKIASNSLOCAL', secretAccessKey: 'local' } });
    organization = await simulateOrganization({ accounts: 2, regions: [PROD.region], clustersPerRegion: 1, latencyMs: 0 });
    definition = organizationDefinition(s3Server.bucket);
    await s3.send(new PutObjectCommand({ Bucket: s3Server.bucket, Key: SUPPRESSIONS_KEY, Body: SUPPRESSIONS }));

    await organizationRun(RUNS[0], {});
    await organizationRun(RUNS[1], {});
    // The third run no longer audits analytics (its failures are resolved) and lists every failure.
    await organizationRun(RUNS[2], { EXCLUDED_NAMESPACES: 'kube-system,kube-public,kube-node-lease,analytics', ALERT_ON: 'all' });
  }, 600_000);

  afterAll(async () => {
    await organization?.stop();
    s3?.destroy();
    sns?.destroy();
    await Promise.all([s3Server?.stop(), snsServer?.stop()]);
  });

  /** The findings run `index` stored for the prod cluster of account 0. */
  async function prodFindings(index: number): Promise<Finding[]> {
    const file = `${RUNS[index]}-${PROD.account}-${PROD.region}-${PROD.name}.jsonl.gz`;
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: s3Server.bucket, Prefix: 'findings/' }));
    const key = listed.Contents?.map((object) => object.Key!).find((each) => each.endsWith(`/${file}`));
    const object = await s3.send(new GetObjectCommand({ Bucket: s3Server.bucket, Key: key }));
    return decodeFindings(Buffer.from(await object.Body!.transformToByteArray()));
  }
  const failures = (findings: Finding[]) => findings.filter((finding) => finding.status === Status.Fail && finding.check_id !== CheckId.Control);
  const legacyAdmin = (findings: Finding[]) =>
    findings.find((finding) => finding.check_id === CheckId.WorkloadCoverage && finding.resource.name === 'legacy-admin');

  it('applies the suppressions of the bucket object in every batch', async () => {
    // Act
    const findings = await prodFindings(0);

    // Assess
    expect(legacyAdmin(findings)).toMatchObject({
      status: Status.Fail,
      suppression: { reason: 'retired next quarter', expires: '2999-12-31', entry: `s3://${s3Server.bucket}/${SUPPRESSIONS_KEY}#1` },
    });
    expect(failures(findings).filter((finding) => finding.suppression !== null)).toHaveLength(1);
  });

  it('marks every failure of a first run new, and alerts once with the suppressed ones counted and the unmatched entry named', async () => {
    // Act
    const findings = await prodFindings(0);
    const alert = snsServer.published[0]!;

    // Assess
    expect(failures(findings).length).toBeGreaterThan(0);
    expect(failures(findings).every((finding) => finding.change === 'new' && finding.first_seen === finding.observed_at)).toBe(true);
    expect(alertsAfter[0]).toBe(1);
    expect(alert.message).toContain('2 suppressed (accepted risks, not listed)');
    expect(alert.message).toContain(`suppression s3://${s3Server.bucket}/${SUPPRESSIONS_KEY}#2 (namespace gone-namespace) matched no finding`);
    expect(alert.message).not.toContain('Deployment web/legacy-admin');
    expect(alert.message).toContain('Namespace analytics');
  });

  it('finds the previous run through each cluster state object: the same failures are ongoing, first seen in the first run', async () => {
    // Act
    const [first, findings] = [await prodFindings(0), await prodFindings(1)];
    const state = await s3.send(new GetObjectCommand({ Bucket: s3Server.bucket, Key: stateKey({ name: PROD.name, arn: null, account_id: PROD.account, region: PROD.region }) }));

    // Assess
    expect(failures(findings).map((finding) => finding.finding_id)).toEqual(failures(first).map((finding) => finding.finding_id));
    expect(failures(findings).every((finding) => finding.change === 'ongoing' && finding.first_seen === first[0]!.observed_at)).toBe(true);
    expect(findings[0]!.observed_at > first[0]!.observed_at).toBe(true);
    expect(JSON.parse(await state.Body!.transformToString())).toMatchObject({ latest: { run_id: RUNS[2] }, previous: { run_id: RUNS[1] } });
  });

  it('sends no alert with alertOn new when nothing new fails', () => {
    // Assess
    expect(alertsAfter[1]).toBe(1);
    expect(outputs[1]).toMatchObject({ alerted: false, notAudited: 0 });
  });

  it('reports a failing resource the run no longer audits as resolved, and alertOn all lists the ongoing failures', async () => {
    // Act
    const findings = await prodFindings(2);
    const alert = snsServer.published[1]!;

    // Assess
    const resolved = findings.filter((finding) => finding.change === 'resolved');
    expect(resolved.map((finding) => `${finding.check_id} ${finding.resource.name}`)).toContain(`${CheckId.NamespaceCoverage} analytics`);
    expect(resolved.every((finding) => finding.status === Status.Pass)).toBe(true);
    expect(alertsAfter[2]).toBe(2);
    expect(alert.message).toContain('Namespace default');
    expect(alert.message).not.toContain('Namespace analytics');
  });

  it('emits the run metrics from the report, once per run', async () => {
    // Prepare
    const started = Date.parse((await prodFindings(0))[0]!.observed_at);

    // Assess
    expect(metrics).toHaveLength(3);
    expect(metrics[0]).toMatchObject({
      service: 'eks-netpol-auditor',
      ClustersAudited: 2,
      FailedClusters: 0,
      StoreFailures: 0,
      FindingsFail: expect.any(Number),
      DurationMs: REPORT_TIME.getTime() - started,
      SuccessfulRuns: 1,
      _aws: { CloudWatchMetrics: [expect.objectContaining({ Namespace: 'EksNetpolAuditor', Dimensions: [['service']] })] },
    });
    expect(metrics[0]!.FindingsFail).toBe(outputs[0]!.findings.FAIL);
  });
});
