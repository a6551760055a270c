/**
 * Live Kubernetes collection against a real HTTPS API server on 127.0.0.1, through client-node: what is read, how it
 * is paginated, and which token each request carries.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { apiVersionOf, KINDS } from '../../lambda/audit/kinds.js';
import type { ConfigMap, KubeInventory, Namespace, Pod } from '../../lambda/audit/snapshot.js';
import { collectKubeInventory } from '../../lambda/collect/kubernetes.js';
import { emptyInventory, kubeConfigFor, startKubeApiServer, type KubeApiServer } from '../support/kube-api-server.js';

let server: KubeApiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(inventory: KubeInventory, token?: string | ((token: string) => boolean)): Promise<KubeApiServer> {
  server = await startKubeApiServer({ inventory, token });
  return server;
}

function namespace(name: string): Namespace {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, uid: `uid-${name}`, creationTimestamp: '2024-05-01T10:00:00Z' } };
}

function pod(namespaceName: string, name: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: namespaceName, labels: { app: name }, creationTimestamp: '2024-05-01T10:00:00Z' },
    spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'nginx' }] },
    status: { phase: 'Running' },
  };
}

describe('collectKubeInventory', () => {
  it('keeps objects as the API sent them, with kind and apiVersion restored on list items', async () => {
    // Prepare
    const pods = [pod('team-a', 'web'), pod('team-b', 'api')];
    const api = await serve({ ...emptyInventory(), namespaces: [namespace('team-a'), namespace('team-b')], pods });

    // Act
    const collection = await collectKubeInventory(kubeConfigFor(api));

    // Assess: timestamps stay strings (client-node's typed copy would hold Dates)
    expect(collection.kube.pods).toEqual(pods);
    expect(collection.kube.namespaces?.[0]?.metadata.creationTimestamp).toBe('2024-05-01T10:00:00Z');
    expect(collection.problems).toEqual([]);
  });

  it('marks every listed kind as read, even when the cluster has none of it', async () => {
    // Prepare
    const api = await serve(emptyInventory());

    // Act
    const collection = await collectKubeInventory(kubeConfigFor(api));

    // Assess
    expect(collection.kube).toEqual(emptyInventory());
  });

  it('follows continue tokens: 7 pods in pages of 2 take 4 requests', async () => {
    // Prepare
    const pods = Array.from({ length: 7 }, (_, index) => pod('team-a', `pod-${index}`));
    const api = await serve({ ...emptyInventory(), pods });

    // Act
    const collection = await collectKubeInventory(kubeConfigFor(api), { pageSize: 2 });

    // Assess
    const podRequests = api.requests.filter((request) => request.path === '/api/v1/pods');
    expect(podRequests).toHaveLength(4);
    expect(podRequests.every((request) => request.query.limit === '2')).toBe(true);
    expect(podRequests.map((request) => request.query.continue === undefined)).toEqual([true, false, false, false]);
    expect(collection.kube.pods?.map((item) => item.metadata.name)).toEqual(pods.map((item) => item.metadata.name));
  });

  it('makes as many requests for 50 namespaces as for 1 (cluster-wide lists)', async () => {
    // Prepare
    const inventoryOf = (count: number): KubeInventory => {
      const names = Array.from({ length: count }, (_, index) => `team-${index}`);
      return { ...emptyInventory(), namespaces: names.map(namespace), pods: names.map((name) => pod(name, 'web')) };
    };
    const small = await serve(inventoryOf(1));
    const fromOne = await collectKubeInventory(kubeConfigFor(small));
    await small.close();
    const large = await serve(inventoryOf(50));

    // Act
    const fromFifty = await collectKubeInventory(kubeConfigFor(large));

    // Assess
    expect(fromFifty.kube.pods).toHaveLength(50);
    expect(fromFifty.requests).toBe(fromOne.requests);
    expect(fromFifty.requests).toBe(large.requests.length);
    expect(large.requests.filter((request) => request.path.includes('/namespaces/') && !request.path.includes('/configmaps/'))).toEqual([]);
  });

  it('fetches the engine ConfigMaps by name and treats absent ones as not there', async () => {
    // Prepare
    const vpcCni: ConfigMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'amazon-vpc-cni', namespace: 'kube-system' },
      data: { 'enable-network-policy-controller': 'true' },
    };
    const api = await serve({ ...emptyInventory(), configMaps: [vpcCni] });

    // Act
    const collection = await collectKubeInventory(kubeConfigFor(api));

    // Assess
    expect(collection.kube.configMaps).toEqual([vpcCni]);
    expect(collection.problems).toEqual([]);
    expect(api.requests.filter((request) => request.path.includes('/configmaps/')).map((request) => [request.path, request.status])).toEqual(
      expect.arrayContaining([
        ['/api/v1/namespaces/kube-system/configmaps/amazon-vpc-cni', 200],
        ['/api/v1/namespaces/kube-system/configmaps/cilium-config', 404],
        ['/api/v1/namespaces/cilium/configmaps/cilium-config', 404],
      ]),
    );
  });

  it('counts every HTTP request it makes', async () => {
    // Prepare
    const api = await serve({ ...emptyInventory(), pods: Array.from({ length: 5 }, (_, index) => pod('team-a', `pod-${index}`)) });

    // Act
    const collection = await collectKubeInventory(kubeConfigFor(api), { pageSize: 2 });

    // Assess: /apis and each CRD group version (every version of a row), one list per row of the kinds table but
    // ConfigMaps, 2 more pod pages, 3 ConfigMaps
    const groupVersions = new Set(KINDS.filter((spec) => !spec.builtIn).flatMap((spec) => spec.versions.map((version) => apiVersionOf(spec, version)))).size;
    const expected = 1 + groupVersions + (KINDS.length - 1) + 2 + 3;
    expect(collection.requests).toBe(expected);
    expect(api.requests).toHaveLength(expected);
  });

  it('asks the token provider for every request and sends what it returns', async () => {
    // Prepare
    const api = await serve(emptyInventory(), (token) => /^rotating-\d+$/.test(token));
    let calls = 0;
    const provider = async (): Promise<string> => `rotating-${++calls}`;

    // Act
    const collection = await collectKubeInventory(kubeConfigFor(api, provider));

    // Assess
    const seen = api.requests.map((request) => request.token);
    expect(collection.problems).toEqual([]);
    expect(calls).toBe(collection.requests);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toContain(`rotating-${calls}`);
    expect(api.requests.every((request) => request.hadToken)).toBe(true);
  });
});
