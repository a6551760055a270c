/**
 * The EKS client's retry configuration, proven with the real SDK over HTTP against a local endpoint that throttles
 * (kept apart from eks.test.ts, whose aws-sdk-client-mock stub replaces `send` on every EKSClient).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEksClient, describeClusterForAudit } from '../../lambda/collect/eks.js';

interface ThrottlingEndpoint {
  url: string;
  requests: string[];
  server: Server;
}

/** Answers 429 ThrottlingException to the first `throttled` DescribeCluster calls, then describes an ACTIVE cluster. */
async function startThrottlingEksEndpoint(throttled: number): Promise<ThrottlingEndpoint> {
  const requests: string[] = [];
  let describeCalls = 0;
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const path = new URL(request.url ?? '/', 'http://local').pathname;
    requests.push(`${request.method} ${path}`);
    response.setHeader('content-type', 'application/json');
    if (path === '/clusters/prod' && describeCalls++ < throttled) {
      response.writeHead(429, { 'x-amzn-errortype': 'ThrottlingException' }).end('{"message":"Rate exceeded"}');
    } else if (path === '/clusters/prod') {
      response.end(JSON.stringify({ cluster: { name: 'prod', status: 'ACTIVE', endpoint: 'https://k8s.example' } }));
    } else {
      response.end(JSON.stringify({ addons: [] }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, server };
}

describe('the EKS client built by createEksClient', () => {
  let endpoint: ThrottlingEndpoint;
  afterEach(async () => {
    await new Promise((resolve) => endpoint.server.close(resolve));
  });

  it('retries a throttled DescribeCluster and describes the cluster once EKS answers', async () => {
    // Prepare
    endpoint = await startThrottlingEksEndpoint(2);
    const eks = createEksClient('eu-west-1', {
      endpoint: endpoint.url,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'test-secret' },
    });

    // Act
    const view = await describeClusterForAudit(eks, 'prod');

    // Assess
    expect(view.problems).toEqual([]);
    expect(view.cluster?.status).toBe('ACTIVE');
    expect(endpoint.requests.filter((line) => line === 'GET /clusters/prod')).toHaveLength(3);
  });
});
