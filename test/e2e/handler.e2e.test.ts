/**
 * End to end: lambda/handler.ts bundled with esbuild exactly as the stack bundles it, imported in-process, and its
 * exported `handler` invoked with a scheduled event. Every AWS service is a local server reached through
 * `AWS_ENDPOINT_URL_*` (the bundle carries its own SDK, so nothing can be stubbed): EKS (test/support/eks-server),
 * S3 (s3rver), SNS (the Query-protocol endpoint), and three clusters' Kubernetes APIs, one failing mid-list.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { build } from 'esbuild';
import { HANDLER_ENTRY, handlerBuildOptions } from '../../lib/handler-bundle.js';
import type { RunSummary } from '../../lambda/live/audit-run.js';
import type { Finding } from '../../lambda/audit/finding.js';
import { decodeFindings } from '../../lambda/report/jsonl.js';
import type { KubeApiServer } from '../support/kube-api-server.js';
import { startEksServer, type EksTestServer } from '../support/eks-server.js';
import { startS3Server, type S3TestServer } from '../support/s3-server.js';
import { startSnsServer, type SnsTestServer } from '../support/sns-server.js';
import { describedCluster, passingInventory, startEksApiServer } from '../live/fixtures.js';

const REGION = 'eu-west-1';
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:netpol-alerts';
const EVENT = {
  version: '0',
  id: 'e2e-5f0c3c1e-5e3a-4f9b-9d55-1d1c5a0c7b21',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '123456789012',
  time: '2025-06-02T06:00:00Z',
  region: REGION,
  resources: [],
  detail: {},
};

let workDir: string;
let CREDENTIALS: { accessKeyId: string; secretAccessKey: string };
let healthy: KubeApiServer;
let broken: KubeApiServer;
let eks: EksTestServer;
let s3Server: S3TestServer;
let sns: SnsTestServer;
let snsGate: Server;
let s3: S3Client;
/** How many findings objects S3 held at the moment each SNS publish arrived. */
const objectsAtPublish: number[] = [];
const savedEnv = { ...process.env };
let logged: string;
let summary: RunSummary;

/** Lists every findings object (the state objects beside them left out), reads it back, gunzips and parses it. */
async function storedFindings(): Promise<Map<string, Finding[]>> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: s3Server.bucket, Prefix: 'findings/' }));
  const objects = new Map<string, Finding[]>();
  for (const { Key } of listed.Contents ?? []) {
    const object = await s3.send(new GetObjectCommand({ Bucket: s3Server.bucket, Key }));
    objects.set(Key as string, decodeFindings(Buffer.from(await (object.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray())));
  }
  return objects;
}

/** A pass-through in front of the SNS endpoint that first counts the objects already stored, to prove the order. */
async function startSnsGate(target: string): Promise<Server> {
  const gate = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      objectsAtPublish.push((await s3.send(new ListObjectsV2Command({ Bucket: s3Server.bucket, Prefix: 'findings/' }))).KeyCount ?? 0);
      const forwarded = await fetch(target, { method: 'POST', headers: { 'content-type': request.headers['content-type'] ?? '' }, body: Buffer.concat(chunks) });
      response.writeHead(forwarded.status, { 'content-type': forwarded.headers.get('content-type') ?? 'text/xml' });
      response.end(Buffer.from(await forwarded.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => gate.listen(0, '127.0.0.1', resolve));
  return gate;
}

/** Bundles the handler as lib/ does (ESM, node, the require banner, module-first main fields) into `dir`. */
async function bundleHandler(dir: string): Promise<string> {
  const outfile = join(dir, 'handler.mjs');
  await build({ ...handlerBuildOptions(HANDLER_ENTRY, outfile, 'node20'), logLevel: 'silent' });
  return outfile;
}

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'handler-e2e-'));
  const [bundle, inventory] = await Promise.all([bundleHandler(workDir), passingInventory()]);
  healthy = await startEksApiServer(inventory);
  broken = await startEksApiServer(inventory, [{ path: '/api/v1/pods', status: 500 }]);
  eks = await startEksServer([
    { cluster: describedCluster('alpha', REGION, healthy) },
    { cluster: describedCluster('beta', REGION, healthy) },
    { cluster: describedCluster('gamma', REGION, broken) },
  ]);
  s3Server = await startS3Server();
  s3 = new S3Client(s3Server.clientConfig);
  CREDENTIALS = s3Server.clientConfig.credentials as typeof CREDENTIALS;
  sns = await startSnsServer();
  snsGate = await startSnsGate(sns.endpoint);

  // The configuration the stack sets, plus the SDK's own endpoint and checksum variables pointing at local servers.
  Object.assign(process.env, {
    FINDINGS_BUCKET: s3Server.bucket,
    FINDINGS_PREFIX: 'findings',
    ALERT_TOPIC_ARN: TOPIC,
    AUDIT_REGIONS: REGION,
    CLUSTER_INCLUDE: '',
    CLUSTER_EXCLUDE: '',
    EXCLUDED_NAMESPACES: 'kube-system,kube-public,kube-node-lease',
    ALERT_THRESHOLD: 'Medium',
    AUDIT_CONCURRENCY: '4',
    POWERTOOLS_SERVICE_NAME: 'eks-netpol-auditor',
    POWERTOOLS_METRICS_NAMESPACE: 'EksNetpolAuditor',
    AWS_REGION: REGION,
    // s3rver accepts only its own key pair; the same dummy credentials sign the EKS tokens.
    AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_EKS: eks.endpoint,
    AWS_ENDPOINT_URL_S3: s3Server.endpoint,
    AWS_ENDPOINT_URL_SNS: `http://127.0.0.1:${(snsGate.address() as AddressInfo).port}`,
    AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:9',
    // s3rver does not accept the SDK's default streaming checksums.
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
  });
  for (const name of ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE']) delete process.env[name];

  const written: string[] = [];
  for (const stream of [process.stdout, process.stderr]) {
    jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(chunk.toString());
      return true;
    });
  }
  try {
    // Prepare done; Act: the real exported handler of the bundle, as Lambda would call it.
    const module = (await import(pathToFileURL(bundle).href)) as { handler(event: unknown, context: unknown): Promise<RunSummary> };
    summary = await module.handler(EVENT, { awsRequestId: 'e2e-request' });
  } finally {
    jest.restoreAllMocks();
    logged = written.join('');
  }
}, 60_000);

afterAll(async () => {
  process.env = savedEnv;
  await Promise.all([healthy?.close(), broken?.close(), eks?.stop(), s3Server?.stop(), sns?.stop()]);
  await new Promise<void>((resolve) => (snsGate ? snsGate.close(() => resolve()) : resolve()));
  await rm(workDir, { recursive: true, force: true });
});

describe('the bundled handler on a scheduled event', () => {
  it('returns the run summary with the failed cluster', () => {
    // Assess
    expect(summary).toEqual({
      runId: expect.stringMatching(/^20250602T060000Z-[0-9a-f]{8}$/),
      clusters: 3,
      failedClusters: [{ name: 'gamma', region: REGION, reason: expect.stringMatching(/HTTP 500/) }],
      findings: { PASS: expect.any(Number), FAIL: 0, UNKNOWN: expect.any(Number) },
      keys: expect.any(Array),
      alerted: true,
    });
  });

  it('stores one gzipped JSON Lines object per cluster, readable back', async () => {
    // Act
    const objects = await storedFindings();

    // Assess
    expect([...objects.keys()].sort()).toEqual([...summary.keys].sort());
    const controls = [...objects.values()].map((findings) => findings.find((finding) => finding.check_id === 'control'));
    expect(controls.map((control) => [control?.cluster.name, control?.status]).sort()).toEqual([
      ['alpha', 'PASS'],
      ['beta', 'PASS'],
      ['gamma', 'UNKNOWN'],
    ]);
    expect([...objects.values()].flat().every((finding) => finding.run_id === summary.runId)).toBe(true);
  });

  it('sends one alert naming the failed cluster, after every object was stored', () => {
    // Assess
    expect(sns.published).toHaveLength(1);
    expect(sns.published[0]).toMatchObject({ topicArn: TOPIC, message: expect.stringContaining('gamma (eu-west-1') });
    expect(objectsAtPublish).toEqual([3]);
  });

  it('read the clusters through the EKS endpoint and the Kubernetes APIs with EKS tokens', () => {
    // Assess
    expect(eks.requests).toEqual(expect.arrayContaining(['GET /clusters', 'GET /clusters/alpha', 'GET /clusters/gamma/addons']));
    expect(healthy.requests.length).toBeGreaterThan(0);
    expect(healthy.requests.every((request) => request.token?.startsWith('k8s-aws-v1.'))).toBe(true);
    expect(healthy.requests.filter((request) => request.status === 401)).toEqual([]);
  });

  it('logged JSON lines with the run id, emitted SuccessfulRuns, and never a token or secret', () => {
    // Assess
    const lines = logged.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
    const logs = lines.filter((line) => !('_aws' in line));
    expect(logs.length).toBeGreaterThan(0);
    expect(logs.every((line) => line.run_id === summary.runId && line.service === 'eks-netpol-auditor')).toBe(true);
    expect(lines.find((line) => '_aws' in line)).toMatchObject({ SuccessfulRuns: 1, FailedClusters: 1, ClustersAudited: 3 });
    expect(logged).not.toMatch(/k8s-aws-v1\./);
    expect(logged).not.toContain(CREDENTIALS.secretAccessKey);
  });
});
