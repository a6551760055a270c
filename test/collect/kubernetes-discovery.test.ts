/**
 * Live collection of the policy APIs: discovery decides which CRD-backed kinds are served, an API that is not
 * installed is read as none (no UNKNOWN, no request for its list), and a 403 on one of them leaves only that kind
 * unread, naming the resource, the RBAC rule to add and the auditor's ClusterRole.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import type { KubeInventory, PolicyEndpoint, ServedKinds } from '../../lambda/audit/snapshot.js';
import { collectKubeInventory, type KubeCollectOptions } from '../../lambda/collect/kubernetes.js';
import { emptyInventory, kubeConfigFor, servedKindsWith, startKubeApiServer, type KubeApiServer, type KubeFault } from '../support/kube-api-server.js';

const AWS = 'networking.k8s.aws/v1alpha1';
const ROLE = 'arn:aws:iam::123456789012:role/netpol-auditor';

const servers: KubeApiServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(inventory: KubeInventory, served: ServedKinds = {}, faults: KubeFault[] = []): Promise<KubeApiServer> {
  const server = await startKubeApiServer({ inventory, served, faults });
  servers.push(server);
  return server;
}

function collect(server: KubeApiServer, options: KubeCollectOptions = {}) {
  return collectKubeInventory(kubeConfigFor(server), { sleep: async () => undefined, ...options });
}

const endpoint: PolicyEndpoint = { apiVersion: AWS, kind: 'PolicyEndpoint', metadata: { name: 'deny-all-x1', namespace: 'shop' } };
const NOT_AWS: ServedKinds = { applicationNetworkPolicies: false, awsClusterNetworkPolicies: false, policyEndpoints: false, clusterPolicyEndpoints: false };

describe('discovery', () => {
  it('reads an API that is not installed as none, without asking for its list', async () => {
    // Prepare
    const server = await serve(emptyInventory(), NOT_AWS);

    // Act
    const collection = await collect(server);

    // Assess
    expect(collection.kube.applicationNetworkPolicies).toEqual([]);
    expect(collection.kube.policyEndpoints).toEqual([]);
    expect(collection.servedKinds).toEqual(servedKindsWith(NOT_AWS, true));
    expect(collection.problems).toEqual([]);
    expect(server.requests.filter((request) => request.path.startsWith('/apis/networking.k8s.aws'))).toEqual([]);
  });

  it('lists a served policy API by path, items given their kind and apiVersion', async () => {
    // Prepare
    const server = await serve({ ...emptyInventory(), policyEndpoints: [endpoint] });

    // Act
    const collection = await collect(server, { pageSize: 1 });

    // Assess
    expect(collection.kube.policyEndpoints).toEqual([endpoint]);
    expect(collection.servedKinds.policyEndpoints).toBe(true);
    const list = server.requests.find((request) => request.path === `/apis/${AWS}/policyendpoints`);
    expect(list?.query).toEqual({ limit: '1' });
  });

  it('tells "served" per resource, not per group: a group version without the resource does not serve it', async () => {
    // Prepare: an older VPC CNI serves PolicyEndpoints only
    const server = await serve(emptyInventory(), { applicationNetworkPolicies: false, awsClusterNetworkPolicies: false, clusterPolicyEndpoints: false });

    // Act
    const collection = await collect(server);

    // Assess
    expect(collection.servedKinds).toEqual(servedKindsWith({ applicationNetworkPolicies: false, awsClusterNetworkPolicies: false, clusterPolicyEndpoints: false }, true));
    expect(server.requests.some((request) => request.path === `/apis/${AWS}/applicationnetworkpolicies`)).toBe(false);
  });

  it('without discovery (forbidden), lists each policy API and reads a 404 as not installed', async () => {
    // Prepare
    const server = await serve(emptyInventory(), NOT_AWS, [{ path: '/apis', status: 403 }]);

    // Act
    const collection = await collect(server);

    // Assess
    expect(collection.kube.policyEndpoints).toEqual([]);
    expect(collection.servedKinds.policyEndpoints).toBe(false);
    expect(collection.servedKinds.nodeClasses).toBe(true);
    expect(collection.problems).toEqual([]);
  });
});

describe('a 403 on one policy API', () => {
  it('leaves only that kind unread, naming the resource, the RBAC rule and the ClusterRole bound to the auditor group', async () => {
    // Prepare
    const server = await serve({ ...emptyInventory(), awsClusterNetworkPolicies: undefined, policyEndpoints: [endpoint] }, { awsClusterNetworkPolicies: true });

    // Act
    const collection = await collect(server, { clusterName: 'prod', region: 'eu-west-1', roleArn: ROLE });

    // Assess
    expect(collection.kube.awsClusterNetworkPolicies).toBeUndefined();
    expect(collection.kube.policyEndpoints).toEqual([endpoint]);
    expect(collection.problems.map((problem) => [problem.kind, problem.reason])).toEqual([
      ['awsClusterNetworkPolicies', '403 Forbidden: cannot list clusternetworkpolicies.networking.k8s.aws at cluster scope'],
    ]);
    const remediation = collection.problems[0]?.remediation ?? '';
    expect(remediation).toContain('apiGroups: ["networking.k8s.aws"], resources: ["clusternetworkpolicies"], verbs: ["get", "list", "watch"]');
    expect(remediation).toContain("kubectl apply -f - <<'EOF'\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole");
    expect(remediation).toContain(`aws eks update-access-entry --cluster-name prod --principal-arn ${ROLE} --kubernetes-groups eks-netpol-auditor --region eu-west-1`);
  });
});
