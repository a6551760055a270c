/**
 * `capture` against a live cluster (the Kubernetes API test server): its file, audited offline, gives the live
 * audit's inventory and served-API facts, so "not installed" and "not captured" survive the round trip.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCaptureCommand } from '../../cli/capture-command.js';
import { KINDS } from '../../lambda/audit/kinds.js';
import type { CalicoPolicy, CiliumNetworkPolicy, PolicyEndpoint, ServedKinds } from '../../lambda/audit/snapshot.js';
import { loadOfflineSnapshot } from '../../lambda/collect/offline.js';
import { emptyInventory, servedKindsWith, startKubeApiServer, type KubeApiServer } from '../support/kube-api-server.js';
import { capturedIo, temporaryFolderForTests } from './audit-helpers.js';

const folder = temporaryFolderForTests();
let server: KubeApiServer;
const cilium: CiliumNetworkPolicy = { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'deny-all', namespace: 'shop' }, spec: { endpointSelector: {}, ingress: [{}] } };
const endpoint: PolicyEndpoint = { apiVersion: 'networking.k8s.aws/v1alpha1', kind: 'PolicyEndpoint', metadata: { name: 'pe-1', namespace: 'shop' } };
const calicoPolicy: CalicoPolicy = {
  apiVersion: 'projectcalico.org/v3',
  kind: 'GlobalNetworkPolicy',
  metadata: { name: 'default-deny' },
  spec: { selector: 'all()', types: ['Ingress'] },
};
// Calico through its API server: projectcalico.org/v3 served, the crd.projectcalico.org/v1 storage not listed.
const CALICO_CRDS_NOT_SERVED = Object.fromEntries(KINDS.filter((spec) => spec.group === 'crd.projectcalico.org').map((spec) => [spec.bucket, false]));
const SERVED: ServedKinds = {
  applicationNetworkPolicies: false,
  awsClusterNetworkPolicies: true,
  clusterPolicyEndpoints: false,
  nodeClasses: false,
  ...CALICO_CRDS_NOT_SERVED,
};

beforeAll(async () => {
  server = await startKubeApiServer({
    inventory: {
      ...emptyInventory(),
      policyEndpoints: [endpoint],
      ciliumNetworkPolicies: [cilium],
      calicoGlobalNetworkPolicies: [calicoPolicy],
      awsClusterNetworkPolicies: undefined,
    },
    served: SERVED,
  });
});
afterAll(() => server.close());

async function kubeconfig(): Promise<string> {
  const file = join(folder(), 'kubeconfig');
  const lines = ['apiVersion: v1', 'kind: Config', 'current-context: live', 'clusters:', '- name: live', '  cluster:', `    server: ${server.url}`];
  lines.push(`    certificate-authority-data: ${server.caData}`, 'users:', '- name: reader', '  user:', `    token: ${server.token}`);
  lines.push('contexts:', '- name: live', '  context:', '    cluster: live', '    user: reader', '');
  await writeFile(file, lines.join('\n'));
  return file;
}

describe('capture', () => {
  test('writes a file whose offline load knows what is installed, what was read empty and what could not be read', async () => {
    // Prepare
    const output = join(folder(), 'cluster.json');
    const { io, stderr } = capturedIo();

    // Act
    const status = await runCaptureCommand(['--kubeconfig', await kubeconfig(), '--output', output], io);
    const snapshot = await loadOfflineSnapshot({ kube: [output], eksAddons: [] }, () => undefined);

    // Assess: the forbidden ClusterNetworkPolicies are named and left out; the audit of the file is incomplete there
    expect(status).toBe(3);
    expect(stderr()).toContain('warning: not captured: awsClusterNetworkPolicies: 403 Forbidden: cannot list clusternetworkpolicies.networking.k8s.aws');
    expect(snapshot.kube.policyEndpoints).toEqual([endpoint]);
    expect(snapshot.kube.daemonSets).toEqual([]);
    expect(snapshot.kube.applicationNetworkPolicies).toEqual([]);
    expect(snapshot.kube.awsClusterNetworkPolicies).toBeUndefined();
    expect(snapshot.servedKinds).toEqual(servedKindsWith(SERVED, true));
    expect(snapshot.kube.ciliumNetworkPolicies).toEqual([cilium]);
    expect(snapshot.kube.calicoGlobalNetworkPolicies).toEqual([calicoPolicy]);
    expect(snapshot.kube.calicoNetworkPolicies).toEqual([]);
    expect(snapshot.kube.calicoCrdGlobalNetworkPolicies).toEqual([]);
    expect(JSON.parse(await readFile(output, 'utf8')).kind).toBe('List');
  });

  test('refuses an unknown context in one line, exit 2', async () => {
    // Prepare
    const { io, stderr } = capturedIo();

    // Act
    const status = await runCaptureCommand(['--kubeconfig', await kubeconfig(), '--context', 'nope'], io);

    // Assess
    expect(status).toBe(2);
    expect(stderr()).toMatch(/^error: context "nope" is not in kubeconfig .* \(contexts: live\)\n$/);
  });
});
