/**
 * A batch of the organization run audits each cluster within its deadline: a cluster whose API server never answers
 * becomes UNKNOWN "not finished within …" on its own, and its batch-mates' findings are stored, so the batch never
 * runs into Lambda's timeout (whose Catch would store UNKNOWN over every cluster of the batch).
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { CheckId, Status } from '../../lambda/audit/finding.js';
import type { BatchResult, ClusterItem } from '../../lambda/org/run-layout.js';
import { decodeFindings } from '../../lambda/report/jsonl.js';
import { createS3Client } from '../../lambda/report/s3-store.js';
import { ORG_STATES } from '../../lib/org-state-machine.js';
import { UNHURRIED_COLLECT, organizationConfig, organizationHandlers } from '../support/organization-harness.js';
import { startS3Server, type S3TestServer } from '../support/s3-server.js';
import { accountId, simulateOrganization, type SimulatedOrganization } from '../support/simulated-organization.js';

const REGION = 'eu-west-1';
const CLUSTERS: ClusterItem[] = ['prod', 'staging', 'dev'].map((name) => ({ account: accountId(0), region: REGION, name }));
const STUCK = CLUSTERS[1] as ClusterItem;
// Long enough for a healthy cluster on a loaded machine, short enough for the test; the stuck one always reaches it.
const CLUSTER_TIMEOUT_SECONDS = 20;

describe('a batch with a cluster whose API server never answers', () => {
  let s3Server: S3TestServer;
  let s3: S3Client;
  let organization: SimulatedOrganization;
  let result: BatchResult;

  beforeAll(async () => {
    s3Server = await startS3Server();
    s3 = createS3Client(s3Server.clientConfig);
    organization = await simulateOrganization({ accounts: 1, regions: [REGION], clustersPerRegion: 3, latencyMs: 0, stuck: [STUCK] });
    const config = organizationConfig(s3Server.bucket, { CLUSTER_TIMEOUT_SECONDS: String(CLUSTER_TIMEOUT_SECONDS) });
    const batch = organizationHandlers(config, s3, undefined, UNHURRIED_COLLECT)[ORG_STATES.auditBatch];
    result = (await batch?.({ Items: CLUSTERS, BatchInput: { runId: '20261201T060000Z-0000dddd', observedAt: '2026-12-01T06:00:00.000Z' } })) as BatchResult;
  }, 120_000);

  afterAll(async () => {
    await organization?.stop();
    s3?.destroy();
    await s3Server?.stop();
  });

  it('returns every cluster of the batch instead of running into the invocation timeout', () => {
    expect(result.clusters.map(({ name }) => name)).toEqual(CLUSTERS.map(({ name }) => name));
  });

  it('makes the stuck cluster UNKNOWN, naming its deadline', async () => {
    const stuck = result.clusters.find(({ name }) => name === STUCK.name);
    expect(stuck?.failure).toContain(`not finished within ${CLUSTER_TIMEOUT_SECONDS} s, the per-cluster deadline`);
    expect(stuck?.control).toBe(Status.Unknown);
  });

  it('stores the findings of the clusters that answered, each audited in full', async () => {
    const healthy = result.clusters.filter(({ name }) => name !== STUCK.name);
    expect(healthy).toHaveLength(2);
    for (const cluster of healthy) {
      expect(cluster.failure).toBeUndefined();
      const object = await s3.send(new GetObjectCommand({ Bucket: s3Server.bucket, Key: cluster.key }));
      const findings = decodeFindings(Buffer.from(await object.Body!.transformToByteArray()));
      const control = findings.find((finding) => finding.check_id === CheckId.Control);
      expect(control?.cluster.name).toBe(cluster.name);
      expect(control?.status).not.toBe(Status.Unknown);
    }
  });
});
