/**
 * `capture` against a live cluster (the Kubernetes API test server): its file, audited offline, gives the live
 * audit's inventory and served-API facts, so "not installed" and "not captured" survive the round trip; with
 * --cluster, an EKS cluster (EKS mocked, its API on the test server) is read as `audit --cluster` reads it.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DescribeAddonCommand, DescribeClusterCommand, EKSClient, ListAddonsCommand, ListClustersCommand } from '@aws-sdk/client-eks';
import { mockClient } from 'aws-sdk-client-mock';
import { runCaptureCommand } from '../../cli/capture-command.js';
import { auditLiveSources } from '../../cli/live-sources.js';
import type { Finding } from '../../lambda/audit/finding.js';
import { auditSnapshot } from '../../lambda/audit/index.js';
import { KINDS } from '../../lambda/audit/kinds.js';
import type { CalicoPolicy, CiliumNetworkPolicy, PolicyEndpoint, ServedKinds } from '../../lambda/audit/snapshot.js';
import { createEksClient } from '../../lambda/collect/eks.js';
import { loadOfflineSnapshot } from '../../lambda/collect/offline.js';
import { FAST_COLLECT, TEST_CREDENTIALS, describedCluster, passingInventory, startEksApiServer } from '../live/fixtures.js';
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

describe('capture --cluster', () => {
  const eks = mockClient(EKSClient);
  const aws = { credentials: async () => TEST_CREDENTIALS, eksFor: (region: string) => createEksClient(region) };
  const addon = { addonName: 'vpc-cni', clusterName: 'prod', addonVersion: 'v1.21.1-eksbuild.1', configurationValues: '{"enableNetworkPolicy":"true"}' };
  let eksApi: KubeApiServer;
  beforeAll(async () => {
    eksApi = await startEksApiServer(await passingInventory());
  });
  afterAll(() => eksApi.close());
  afterEach(() => eks.reset());

  function serveProd(): void {
    eks.on(DescribeClusterCommand, { name: 'prod' }).resolves({ cluster: describedCluster('prod', 'eu-west-1', eksApi) });
    eks.on(ListClustersCommand).resolves({ clusters: ['prod'] });
    eks.on(ListAddonsCommand).resolves({ addons: ['vpc-cni', 'coredns'] });
    eks.on(DescribeAddonCommand, { addonName: 'vpc-cni' }).resolves({ addon });
  }

  test('reads the EKS cluster as the live audit does: the offline audit of its files gives the live findings', async () => {
    // Prepare
    serveProd();
    const output = join(folder(), 'prod.json');
    const { io, stderr } = capturedIo({ env: { AWS_REGION: 'us-east-1' } });
    const options = { runId: 'capture-run', observedAt: new Date('2025-06-02T06:00:00Z'), excludedNamespaces: ['kube-system'], collect: FAST_COLLECT };

    // Act
    const status = await runCaptureCommand(['--cluster', 'prod', '--region', 'eu-west-1', '--output', output], io, aws);
    const files = { kube: [output], eksCluster: join(folder(), 'prod.eks-cluster.json'), eksAddons: [join(folder(), 'prod.addon-vpc-cni.json')] };
    const offline = auditSnapshot(await loadOfflineSnapshot(files, () => undefined), options);
    const live = await auditLiveSources({ mode: 'eks', clusters: ['prod'], allClusters: false, regions: ['eu-west-1'] }, { ...options, env: {}, aws });

    // Assess: --region wins over AWS_REGION; the same cluster, add-on and verdicts, finding ids included
    const verdicts = (findings: Finding[]) => findings.map((finding) => [finding.finding_id, finding.check_id, finding.status, finding.message]);
    expect(status).toBe(0);
    expect(eks.commandCalls(DescribeClusterCommand)[0]?.args[0].input).toEqual({ name: 'prod' });
    expect(stderr()).toBe(`note: audit it offline with: eks-netpol-auditor audit --kube ${output} --eks-cluster ${files.eksCluster} --eks-addon ${files.eksAddons[0]}\n`);
    expect(offline[0]?.cluster).toEqual({ name: 'prod', arn: 'arn:aws:eks:eu-west-1:123456789012:cluster/prod', account_id: '123456789012', region: 'eu-west-1' });
    expect(verdicts(offline)).toEqual(verdicts(live.findings));
    expect(offline.find((finding) => finding.check_id === 'control')?.status).toBe('PASS');
  });

  test('says in one line why a cluster that cannot be described is not captured, exit 3, no file', async () => {
    // Prepare
    eks.on(DescribeClusterCommand).rejects(Object.assign(new Error('No cluster found for name: gone.'), { name: 'ResourceNotFoundException' }));
    const output = join(folder(), 'gone.json');
    const { io, stderr } = capturedIo();

    // Act
    const status = await runCaptureCommand(['--cluster', 'gone', '--region', 'eu-west-1', '--output', output], io, aws);

    // Assess
    expect(status).toBe(3);
    expect(stderr()).toMatch(/^error: EKS cluster gone \(eu-west-1\) could not be captured: eks:DescribeCluster found no such cluster[^\n]*\n$/);
    await expect(readFile(output, 'utf8')).rejects.toThrow('ENOENT');
  });

  test.each([
    [['--cluster', 'prod', '--context', 'live'], 'error: --context and --cluster name two different clusters: give one (see capture --help)\n'],
    [['--cluster', 'prod'], 'error: no AWS region: pass --region R or set AWS_REGION (see capture --help)\n'],
    [['--region', 'eu-west-1'], 'error: --region needs --cluster (see capture --help)\n'],
    [['--cluster', 'prod', '--region', 'Ireland'], 'error: --region "Ireland" is not an AWS region (see capture --help)\n'],
    [['--cluster', 'prod/eu', '--region', 'eu-west-1'], 'error: --cluster "prod/eu" is not an EKS cluster name (see capture --help)\n'],
  ])('refuses %j in one line, exit 2, before any AWS call', async (args, message) => {
    // Prepare
    const { io, stderr } = capturedIo();

    // Act
    const status = await runCaptureCommand(args, io, aws);

    // Assess
    expect([status, stderr(), eks.calls().length]).toEqual([2, message, 0]);
  });
});
