/**
 * Live collection against an API server or proxy that misbehaves (issue 9): lists that never end, expired continue
 * tokens, bodies cut short, too large or too slow, answers that are not what was asked for, and redirects elsewhere.
 * Each fault leaves only its kind UNKNOWN with the reason (or, for a stall, the cluster), never a crash or a hang.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import type { KubeInventory, Pod } from '../../lambda/audit/snapshot.js';
import { collectKubeInventory, type KubeCollectOptions } from '../../lambda/collect/kubernetes.js';
import { emptyInventory, kubeConfigFor, startKubeApiServer, type FaultMode, type KubeApiServer, type KubeFault } from '../support/kube-api-server.js';

const PODS = '/api/v1/pods';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'shop' }, status: { phase: 'Running' } };

async function serve(faults: KubeFault[], inventory: KubeInventory = { ...emptyInventory(), pods: [pod] }): Promise<KubeApiServer> {
  const server = await startKubeApiServer({ inventory, faults });
  closers.push(() => server.close());
  return server;
}

function collect(server: KubeApiServer, options: KubeCollectOptions = {}) {
  return collectKubeInventory(kubeConfigFor(server), { sleep: async () => undefined, maxRetries: 1, ...options });
}

/** The pods problem's reason, after asserting pods alone are unread and the other kinds were read. */
async function podsReason(server: KubeApiServer, options: KubeCollectOptions = {}): Promise<string> {
  const collection = await collect(server, options);
  expect(collection.kube.pods).toBeUndefined();
  expect(collection.kube.namespaces).toEqual([]);
  expect(collection.problems.map((problem) => problem.kind)).toEqual(['pods']);
  return collection.problems[0]?.reason ?? '';
}

function requestsTo(server: KubeApiServer, path: string): number {
  return server.requests.filter((request) => request.path === path).length;
}

describe('pagination safety', () => {
  it('stops a list whose continue token never ends at the page bound, naming it', async () => {
    // Prepare
    const server = await serve([{ path: PODS, mode: 'continue-forever' }]);

    // Act
    const reason = await podsReason(server, { pageSize: 2, maxObjectsPerKind: 10 });

    // Assess
    expect(reason).toBe('cannot list pods at cluster scope: the list did not end within 6 pages (10 objects at 2 a page)');
    expect(requestsTo(server, PODS)).toBe(6);
  });

  it('stops at once when the server repeats a continue token', async () => {
    // Prepare
    const server = await serve([{ path: PODS, mode: 'same-continue' }]);

    // Act
    const reason = await podsReason(server);

    // Assess
    expect(reason).toContain('the API server sent the continue token of an earlier page again (page 2): the list would never end');
    expect(requestsTo(server, PODS)).toBe(2);
  });

  it('restarts a list once after 410 Gone, and reads it', async () => {
    // Prepare
    const server = await serve([{ path: PODS, status: 410, times: 1 }]);

    // Act
    const collection = await collect(server);

    // Assess
    expect(collection.kube.pods).toEqual([pod]);
    expect(requestsTo(server, PODS)).toBe(2);
  });

  it('gives up after a second 410 Gone', async () => {
    // Prepare
    const server = await serve([{ path: PODS, status: 410 }]);

    // Act
    const reason = await podsReason(server);

    // Assess
    expect(reason).toMatch(/^HTTP 410: cannot list pods at cluster scope: .* \(the list expired \(410 Gone\) twice while paging\)$/);
    expect(requestsTo(server, PODS)).toBe(2);
  });
});

describe('bounded answers', () => {
  it('abandons a 300 MB page at the 64 MiB limit as it streams in, and memory stays bounded', async () => {
    // Prepare
    const server = await serve([{ path: PODS, mode: 'oversized', bytes: 300 * 2 ** 20 }]);
    // The worker process is shared with other tests, so what counts is how far memory grows during this read.
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);

    // Act
    const reason = await podsReason(server).finally(() => clearInterval(sampler));

    // Assess
    expect(reason).toContain('is larger than the 64 MiB limit (more than 67108864 bytes arrived); abandoned');
    expect(peak - before).toBeLessThan(512 * 2 ** 20);
  });

  it('takes its limit from the options', async () => {
    // Prepare
    const server = await serve([{ path: PODS, mode: 'oversized', bytes: 3 * 2 ** 20 }]);

    // Act
    const reason = await podsReason(server, { maxBodyBytes: 2 ** 20 });

    // Assess
    expect(reason).toContain('larger than the 1 MiB limit');
  });

  it('retries a body cut short, then leaves the kind UNKNOWN', async () => {
    // Prepare
    const server = await serve([{ path: PODS, mode: 'cut-body' }]);

    // Act
    const reason = await podsReason(server, { maxRetries: 2 });

    // Assess
    expect(reason).toMatch(/^cannot list pods at cluster scope: the (connection closed after \d+ bytes of the answer|answer was cut short: \d+ of \d+ bytes)$/);
    expect(requestsTo(server, PODS)).toBe(3);
  });

  it('reads a body cut short once on the retry', async () => {
    // Prepare
    const server = await serve([{ path: PODS, mode: 'cut-body', times: 1 }]);

    // Act
    const collection = await collect(server);

    // Assess
    expect(collection.kube.pods).toEqual([pod]);
  });

  it('times out a body that trickles in, with the deadline of the request', async () => {
    // Prepare
    const server = await serve([{ path: PODS, mode: 'slow-body' }]);

    // Act
    const collection = await collect(server, { timeoutMs: 300, maxRetries: 0 });

    // Assess
    expect(collection.problems).toEqual([expect.objectContaining({ kind: 'cluster', reason: expect.stringContaining('did not answer within 300 ms') })]);
  });
});

describe('validated answers', () => {
  it.each([
    ['html', 'the answer to GET /api/v1/pods is not JSON (text/html, 40 bytes)'],
    ['status-200', 'the API server answered a Status (Failure: etcdserver: request timed out) instead of a PodList (v1)'],
    ['wrong-list-kind', 'the API server answered a NamespaceList (v1) instead of a PodList (v1)'],
    ['wrong-item-kind', 'items[1] of the PodList is a Secret (v1), not a Pod'],
  ] as Array<[FaultMode, string]>)('a 200 answer %s leaves the kind UNKNOWN, saying what came', async (mode, detail) => {
    // Prepare
    const server = await serve([{ path: PODS, mode }]);

    // Act
    const reason = await podsReason(server);

    // Assess
    expect(reason).toBe(`cannot list pods at cluster scope: ${detail}`);
  });

  it('skips one malformed item, records it as skipped, and reads the rest', async () => {
    // Prepare
    const server = await serve([{ path: PODS, mode: 'bad-item' }]);

    // Act
    const collection = await collect(server);

    // Assess
    expect(collection.kube.pods).toEqual([pod]);
    expect(collection.skipped).toEqual([{ place: 'GET /api/v1/pods page 1 items[1]', object: 'Pod no name', reason: 'metadata is missing' }]);
  });
});

describe('redirects', () => {
  it('never follows a redirect to another port, so the token never leaves the cluster', async () => {
    // Prepare: a sink on another port that records every request it gets
    const sinkRequests: http.IncomingHttpHeaders[] = [];
    const sink = http.createServer((request, response) => {
      sinkRequests.push(request.headers);
      response.end('{}');
    });
    await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((resolve) => sink.close(() => resolve())));
    const sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}`;
    const server = await serve([{ path: PODS, mode: 'redirect', redirectTo: `${sinkUrl}/api/v1/pods` }]);

    // Act
    const reason = await podsReason(server);

    // Assess
    expect(reason).toBe(
      `cannot list pods at cluster scope: the API server redirected GET /api/v1/pods to ${sinkUrl}, another origin than ${server.url}: not followed, so the credentials stay with the cluster`,
    );
    expect(sinkRequests).toEqual([]);
  });

  it('follows a redirect to the same origin', async () => {
    // Prepare
    const server = await serve([{ path: PODS, mode: 'redirect', redirectTo: '/api/v1/pods?limit=500', times: 1 }]);

    // Act
    const collection = await collect(server);

    // Assess
    expect(collection.kube.pods).toEqual([pod]);
  });
});
