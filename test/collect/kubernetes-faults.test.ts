/**
 * How live collection behaves when the Kubernetes API misbehaves: retries (429 with Retry-After, 5xx, slow answers),
 * and the mapping of what cannot be read into problems (401, 403 per kind, unreachable, TLS), never leaking the token.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import type { KubeInventory, NetworkPolicy, Pod } from '../../lambda/audit/snapshot.js';
import { collectKubeInventory, kubeConfigForEks, type KubeCollectOptions } from '../../lambda/collect/kubernetes.js';
import {
  emptyInventory,
  kubeConfigFor,
  startKubeApiServer,
  type KubeApiServer,
  type KubeFault,
} from '../support/kube-api-server.js';

const SECRET = 'k8s-aws-v1.aHR0cHM6Ly9zdHMuZXUtd2VzdC0xLmFtYXpvbmF3cy5jb20vP0FjdGlvbj1HZXRDYWxsZXJJZGVudGl0eQ';
const ROLE_SESSION = 'arn:aws:sts::123456789012:assumed-role/netpol-auditor/lambda-session';
const ROLE = 'arn:aws:iam::123456789012:role/netpol-auditor';

const servers: KubeApiServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

const pod: Pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'team-a', labels: { app: 'web' } },
  status: { phase: 'Running' },
};
const policy: NetworkPolicy = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'deny-all', namespace: 'team-a' },
  spec: { podSelector: {}, policyTypes: ['Ingress'] },
};

async function serve(faults: KubeFault[], inventory: KubeInventory = { ...emptyInventory(), pods: [pod], networkPolicies: [policy] }): Promise<KubeApiServer> {
  const server = await startKubeApiServer({ inventory, faults, token: SECRET });
  servers.push(server);
  return server;
}

/** A sleep that returns at once and remembers what it was asked to wait. */
function recordingSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => void waits.push(ms) };
}

function collect(server: KubeApiServer, options: KubeCollectOptions = {}) {
  return collectKubeInventory(kubeConfigFor(server), { sleep: recordingSleep().sleep, ...options });
}

function pathCount(server: KubeApiServer, path: string): number {
  return server.requests.filter((request) => request.path === path).length;
}

describe('retries', () => {
  it('waits as long as Retry-After says after a 429, then reads the kind', async () => {
    // Prepare
    const server = await serve([{ path: '/api/v1/pods', status: 429, retryAfterSeconds: 7, times: 1 }]);
    const { sleep, waits } = recordingSleep();

    // Act
    const collection = await collect(server, { sleep });

    // Assess
    expect(waits).toEqual([7000]);
    expect(collection.kube.pods).toEqual([pod]);
    expect(pathCount(server, '/api/v1/pods')).toBe(2);
    expect(collection.requests).toBe(server.requests.length);
  });

  it('retries a 500 twice with growing, jittered backoff, then reads the kind', async () => {
    // Prepare
    const server = await serve([{ path: '/apis/networking.k8s.io/v1/networkpolicies', status: 500, times: 2 }]);
    const { sleep, waits } = recordingSleep();

    // Act
    const collection = await collect(server, { sleep });

    // Assess
    expect(collection.kube.networkPolicies).toEqual([policy]);
    expect(collection.problems).toEqual([]);
    expect(waits).toHaveLength(2);
    expect(waits[0]).toBeGreaterThanOrEqual(125);
    expect(waits[0]).toBeLessThanOrEqual(250);
    expect(waits[1]).toBeGreaterThanOrEqual(250);
    expect(waits[1]).toBeLessThanOrEqual(500);
  });

  it('gives up after the bounded retries on a 500 that never ends: one cluster problem', async () => {
    // Prepare
    const server = await serve([{ path: '/api/v1/pods', status: 500 }]);

    // Act
    const collection = await collect(server, { maxRetries: 3 });

    // Assess
    expect(pathCount(server, '/api/v1/pods')).toBe(4);
    expect(collection.kube).toEqual({});
    expect(collection.problems).toEqual([
      expect.objectContaining({ kind: 'cluster', reason: expect.stringMatching(/^HTTP 500: .* kept failing \(4 attempts, list pods at cluster scope\)/) }),
    ]);
  });

  it('abandons an answer slower than the timeout and retries it', async () => {
    // Prepare
    const server = await serve([{ path: '/api/v1/pods', delayMs: 2000, times: 1 }]);

    // Act
    const collection = await collect(server, { timeoutMs: 300 });

    // Assess
    expect(collection.kube.pods).toEqual([pod]);
    expect(pathCount(server, '/api/v1/pods')).toBe(2);
  });

  it('reports an API that never answers in time as a cluster problem, with the private-endpoint hint', async () => {
    // Prepare
    const server = await serve([{ path: '/api/v1/namespaces', delayMs: 5000 }]);

    // Act
    const collection = await collect(server, { timeoutMs: 200, maxRetries: 1 });

    // Assess
    expect(server.requests).toHaveLength(2);
    expect(collection.problems).toEqual([
      {
        kind: 'cluster',
        reason: `the Kubernetes API at ${server.url} did not answer within 200 ms (2 attempts, list namespaces at cluster scope)`,
        remediation: expect.stringContaining('endpointPublicAccess false'),
      },
    ]);
  });
});

describe('problems', () => {
  it('maps 401 to one cluster problem with the access-entry commands, and stops asking', async () => {
    // Prepare
    const server = await serve([{ path: '/api/v1/namespaces', status: 401 }]);

    // Act
    const collection = await collect(server, { authenticationMode: 'API_AND_CONFIG_MAP', clusterName: 'prod', region: 'eu-west-1', roleArn: ROLE_SESSION });

    // Assess
    expect(collection.kube).toEqual({});
    expect(collection.problems).toHaveLength(1);
    const [problem] = collection.problems;
    expect(problem?.kind).toBe('cluster');
    expect(problem?.reason).toBe('401 Unauthorized: the Kubernetes API rejected the credentials');
    expect(problem?.remediation).toContain(`aws eks create-access-entry --cluster-name prod --principal-arn ${ROLE} --region eu-west-1`);
    expect(problem?.remediation).toContain(
      `aws eks associate-access-policy --cluster-name prod --principal-arn ${ROLE} --policy-arn arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy --access-scope type=cluster --region eu-west-1`,
    );
    expect(server.requests).toHaveLength(1);
  });

  it('gives the aws-auth mapping instead when the cluster authenticates with CONFIG_MAP', async () => {
    // Prepare
    const server = await serve([{ path: '/api/v1/namespaces', status: 401 }]);

    // Act
    const collection = await collect(server, { authenticationMode: 'CONFIG_MAP', clusterName: 'legacy', region: 'us-east-1', roleArn: ROLE });

    // Assess
    const remediation = collection.problems[0]?.remediation ?? '';
    expect(remediation).toContain('aws-auth');
    expect(remediation).toContain(`- rolearn: ${ROLE}`);
    expect(remediation).toContain('kubectl create clusterrolebinding eks-netpol-auditor-view --clusterrole=view --group=eks-netpol-auditor');
    expect(remediation).not.toContain('create-access-entry');
  });

  it('leaves only a forbidden kind unread, naming the permission, and reads the others', async () => {
    // Prepare
    const server = await serve([{ path: '/apis/networking.k8s.io/v1/networkpolicies', status: 403 }]);

    // Act
    const collection = await collect(server, { clusterName: 'prod', region: 'eu-west-1', roleArn: ROLE });

    // Assess
    expect(collection.kube.networkPolicies).toBeUndefined();
    expect(collection.kube.pods).toEqual([pod]);
    expect(collection.kube.daemonSets).toEqual([]);
    expect(collection.problems).toEqual([
      {
        kind: 'networkPolicies',
        reason: '403 Forbidden: cannot list networkpolicies.networking.k8s.io at cluster scope',
        remediation: expect.stringContaining('AmazonEKSViewPolicy --access-scope type=cluster'),
      },
    ]);
    expect(pathCount(server, '/apis/networking.k8s.io/v1/networkpolicies')).toBe(1);
  });

  it('treats forbidden nodes as optional: a nodes problem, everything else read', async () => {
    // Prepare
    const server = await serve([], { ...emptyInventory(), nodes: undefined });

    // Act
    const collection = await collect(server);

    // Assess
    expect(collection.kube.nodes).toBeUndefined();
    expect(collection.kube.namespaces).toEqual([]);
    expect(collection.problems.map((problem) => [problem.kind, problem.reason])).toEqual([['nodes', '403 Forbidden: cannot list nodes at cluster scope']]);
  });

  it('reports ConfigMaps as unread when one of them is forbidden', async () => {
    // Prepare
    const server = await serve([{ path: '/api/v1/namespaces/cilium/configmaps/cilium-config', status: 403 }]);

    // Act
    const collection = await collect(server);

    // Assess
    expect(collection.kube.configMaps).toBeUndefined();
    expect(collection.problems.map((problem) => problem.reason)).toEqual(['403 Forbidden: cannot get configmaps in namespace cilium']);
  });

  it('reports an endpoint nobody answers on as unreachable, with the private-endpoint hint, after bounded retries', async () => {
    // Prepare
    const server = await serve([]);
    await server.close();
    const { sleep, waits } = recordingSleep();

    // Act
    const collection = await collect(server, { sleep, maxRetries: 2 });

    // Assess
    expect(waits).toHaveLength(2);
    expect(collection.requests).toBe(3);
    expect(collection.problems).toEqual([
      {
        kind: 'cluster',
        reason: expect.stringContaining(`cannot reach the Kubernetes API at ${server.url}: ECONNREFUSED`),
        remediation: expect.stringContaining("run the auditor in the cluster's VPC"),
      },
    ]);
  });

  it('refuses a server whose certificate the cluster CA did not sign, without retrying', async () => {
    // Prepare
    const server = await serve([]);
    const impostor = await serve([]);
    const kubeConfig = kubeConfigForEks({ name: 'prod', endpoint: impostor.url, certificateAuthorityData: server.caData, token: async () => SECRET });

    // Act
    const collection = await collectKubeInventory(kubeConfig, { sleep: recordingSleep().sleep });

    // Assess
    expect(collection.requests).toBe(1);
    expect(impostor.requests).toEqual([]);
    expect(collection.problems).toEqual([expect.objectContaining({ kind: 'cluster', reason: expect.stringContaining('TLS verification') })]);
  });

  it('reports a failing token provider as a cluster problem without its secret', async () => {
    // Prepare
    const server = await serve([]);
    const failing = async (): Promise<string> => {
      throw new Error(`could not refresh: request had Authorization: Bearer ${SECRET}`);
    };

    // Act
    const collection = await collectKubeInventory(kubeConfigFor(server, failing), { sleep: recordingSleep().sleep });

    // Assess
    expect(collection.problems).toEqual([expect.objectContaining({ kind: 'cluster', reason: expect.stringContaining('could not obtain credentials') })]);
    expect(JSON.stringify(collection)).not.toContain(SECRET);
    expect(server.requests).toEqual([]);
  });

  it('never repeats the token, even when the server echoes it back in an error', async () => {
    // Prepare
    const server = await serve([{ path: '/apis/apps/v1/daemonsets', status: 400, message: `invalid header Authorization: Bearer ${SECRET}` }]);

    // Act
    const collection = await collect(server);

    // Assess
    expect(collection.problems).toEqual([
      { kind: 'daemonSets', reason: 'HTTP 400: cannot list daemonsets.apps at cluster scope: invalid header Authorization: <redacted>' },
    ]);
    expect(JSON.stringify(collection)).not.toContain(SECRET.slice('k8s-aws-v1.'.length));
  });
});
