import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { decodeFindings } from '../../lambda/report/jsonl.js';
import { FindingsStoreError, S3_MAX_ATTEMPTS, createS3Client, storeFindings } from '../../lambda/report/s3-store.js';
import { startS3Server, type S3TestServer } from '../support/s3-server.js';
import { finding, findingCluster } from './fixtures.js';

describe('storeFindings against s3rver', () => {
  let server: S3TestServer;
  let s3: S3Client;
  beforeAll(async () => {
    server = await startS3Server();
    s3 = createS3Client(server.clientConfig);
  });
  afterAll(async () => {
    s3.destroy();
    await server.stop();
  });

  async function listKeys(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      // MaxKeys 1 makes s3rver paginate, which is what needs the legacy OpenSSL provider.
      const page = await s3.send(new ListObjectsV2Command({ Bucket: server.bucket, Prefix: prefix, MaxKeys: 1, ContinuationToken: token }));
      keys.push(...(page.Contents ?? []).map((object) => object.Key ?? ''));
      token = page.NextContinuationToken;
    } while (token);
    return keys;
  }

  async function readBack(key: string) {
    const object = await s3.send(new GetObjectCommand({ Bucket: server.bucket, Key: key }));
    return decodeFindings(Buffer.from(await object.Body!.transformToByteArray()));
  }

  it('writes one gzipped JSON Lines object per cluster per run, readable back', async () => {
    // Prepare
    const prod = [finding(), finding({ check_id: 'engine', resource: { kind: 'Cluster', namespace: null, name: 'prod' } })];
    const dev = [finding({ cluster: findingCluster('dev') })];

    // Act
    const keys = await storeFindings(s3, { bucket: server.bucket, prefix: 'first' }, [...prod, ...dev]);

    // Assess
    expect(keys).toEqual(['first/dt=2024-05-01/run-1-123456789012-eu-west-1-prod.jsonl.gz', 'first/dt=2024-05-01/run-1-123456789012-eu-west-1-dev.jsonl.gz']);
    expect((await listKeys('first/')).sort()).toEqual([...keys].sort());
    expect(await readBack(keys[0]!)).toEqual(prod);
    expect(await readBack(keys[1]!)).toEqual(dev);
  });

  it('labels the objects as gzip-encoded newline-delimited JSON', async () => {
    // Prepare
    const [key] = await storeFindings(s3, { bucket: server.bucket, prefix: 'labels' }, [finding()]);

    // Act
    const head = await s3.send(new HeadObjectCommand({ Bucket: server.bucket, Key: key }));

    // Assess
    expect([head.ContentType, head.ContentEncoding]).toEqual(['application/x-ndjson', 'gzip']);
  });

  it('overwrites the object of a retried run: same key, one object, the latest findings', async () => {
    // Prepare
    const target = { bucket: server.bucket, prefix: 'retried' };
    const [firstKey] = await storeFindings(s3, target, [finding({ message: 'first try' })]);

    // Act
    const [retryKey] = await storeFindings(s3, target, [finding({ message: 'retry' })]);

    // Assess
    expect(retryKey).toBe(firstKey);
    expect(await listKeys('retried/')).toEqual([firstKey]);
    expect((await readBack(retryKey!)).map((stored) => stored.message)).toEqual(['retry']);
  });
});

/** An S3 endpoint that answers PutObject with `failures` errors of `status`/`code` first, then 200. */
async function startFailingS3(status: number, code: string, failures: number): Promise<{ server: Server; endpoint: string; puts: () => number }> {
  let puts = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      puts += 1;
      if (puts <= failures) {
        response.writeHead(status, { 'content-type': 'application/xml' });
        response.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>injected ${code}</Message></Error>`);
      } else {
        response.writeHead(200, { etag: '"d41d8cd98f00b204e9800998ecf8427e"' }).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, puts: () => puts };
}

describe('storeFindings when S3 fails', () => {
  let failing: Awaited<ReturnType<typeof startFailingS3>>;
  afterEach(async () => {
    await new Promise((resolve) => failing.server.close(resolve));
  });

  function clientOf(endpoint: string): S3Client {
    return createS3Client({
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'test-secret' },
    });
  }

  it('retries a throttled write (503 SlowDown) and stores the object', async () => {
    // Prepare
    failing = await startFailingS3(503, 'SlowDown', 1);

    // Act
    const keys = await storeFindings(clientOf(failing.endpoint), { bucket: 'audit', prefix: 'findings' }, [finding()]);

    // Assess
    expect(keys).toEqual(['findings/dt=2024-05-01/run-1-123456789012-eu-west-1-prod.jsonl.gz']);
    expect(failing.puts()).toBe(2);
  });

  it('gives up after the documented attempts with an error naming bucket and key', async () => {
    // Prepare
    failing = await startFailingS3(500, 'InternalError', Number.POSITIVE_INFINITY);

    // Act
    const storing = storeFindings(clientOf(failing.endpoint), { bucket: 'audit', prefix: 'findings' }, [finding()]);

    // Assess
    await expect(storing).rejects.toThrow(FindingsStoreError);
    await expect(storing).rejects.toThrow(
      'cannot store findings at s3://audit/findings/dt=2024-05-01/run-1-123456789012-eu-west-1-prod.jsonl.gz: ' +
        `InternalError: injected InternalError (after ${S3_MAX_ATTEMPTS} attempts)`,
    );
    expect(failing.puts()).toBe(S3_MAX_ATTEMPTS);
  });
});
