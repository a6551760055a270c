import {
  AccessDeniedException,
  DescribeAddonCommand,
  DescribeClusterCommand,
  EKSClient,
  ListAddonsCommand,
  ListClustersCommand,
  ResourceNotFoundException,
  ThrottlingException,
} from '@aws-sdk/client-eks';
import { mockClient } from 'aws-sdk-client-mock';
import {
  EKS_MAX_ATTEMPTS,
  clusterIdentity,
  createEksClient,
  describeClusterForAudit,
  listClusterNames,
} from '../../lambda/collect/eks.js';

const ARN = 'arn:aws:eks:eu-west-1:123456789012:cluster/prod';

function activeCluster(name = 'prod') {
  return {
    name,
    arn: ARN,
    status: 'ACTIVE' as const,
    version: '1.30',
    endpoint: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com',
    certificateAuthority: { data: 'LS0tLS1CRUdJTi1DQQ==' },
    accessConfig: { authenticationMode: 'API' as const },
  };
}

function throttled() {
  return new ThrottlingException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 429, attempts: EKS_MAX_ATTEMPTS } });
}

// One stub for the whole file: aws-sdk-client-mock replaces `send` on the client prototype.
const eks = mockClient(EKSClient);
const client = createEksClient('eu-west-1');
afterEach(() => eks.reset());

describe('listClusterNames', () => {
  function threePages(): void {
    eks
      .on(ListClustersCommand, {})
      .resolves({ clusters: ['prod-a', 'dev-1'], nextToken: 'page2' })
      .on(ListClustersCommand, { nextToken: 'page2' })
      .resolves({ clusters: ['prod-b', 'staging'], nextToken: 'page3' })
      .on(ListClustersCommand, { nextToken: 'page3' })
      .resolves({ clusters: ['prod-canary', 'dev-22'] });
  }

  it('reads every page of ListClusters', async () => {
    // Prepare
    threePages();

    // Act
    const names = await listClusterNames(client, { include: [], exclude: [] });

    // Assess
    expect(names).toEqual(['dev-1', 'dev-22', 'prod-a', 'prod-b', 'prod-canary', 'staging']);
    expect(eks.commandCalls(ListClustersCommand)).toHaveLength(3);
  });

  it('keeps the names an include pattern matches, whole-name, with * and ?', async () => {
    // Prepare
    threePages();

    // Act
    const names = await listClusterNames(client, { include: ['prod-*', 'dev-?'], exclude: [] });

    // Assess
    expect(names).toEqual(['dev-1', 'prod-a', 'prod-b', 'prod-canary']);
  });

  it('lets exclude win over include', async () => {
    // Prepare
    threePages();

    // Act
    const names = await listClusterNames(client, { include: ['prod-*'], exclude: ['*-canary'] });

    // Assess
    expect(names).toEqual(['prod-a', 'prod-b']);
  });

  it('throws one line naming the call and the region when listing fails', async () => {
    // Prepare
    eks.on(ListClustersCommand).rejects(throttled());

    // Act
    const listing = listClusterNames(client, { include: [], exclude: [] });

    // Assess
    await expect(listing).rejects.toThrow('eks:ListClusters failed in eu-west-1: ThrottlingException: Rate exceeded');
  });
});

describe('describeClusterForAudit', () => {
  it('returns the cluster, its endpoint and CA, and the described vpc-cni add-on', async () => {
    // Prepare
    eks.on(DescribeClusterCommand, { name: 'prod' }).resolves({ cluster: activeCluster() });
    eks.on(ListAddonsCommand).resolves({ addons: ['coredns', 'vpc-cni', 'kube-proxy'] });
    eks.on(DescribeAddonCommand, { clusterName: 'prod', addonName: 'vpc-cni' }).resolves({
      addon: {
        addonName: 'vpc-cni',
        clusterName: 'prod',
        addonVersion: 'v1.18.3-eksbuild.1',
        status: 'ACTIVE',
        configurationValues: '{"enableNetworkPolicy":"true"}',
      },
    });

    // Act
    const view = await describeClusterForAudit(client, 'prod');

    // Assess
    expect(view).toEqual({
      cluster: {
        name: 'prod',
        arn: ARN,
        status: 'ACTIVE',
        version: '1.30',
        endpoint: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com',
        accessConfig: { authenticationMode: 'API' },
      },
      addons: [
        {
          addonName: 'vpc-cni',
          clusterName: 'prod',
          addonVersion: 'v1.18.3-eksbuild.1',
          status: 'ACTIVE',
          configurationValues: '{"enableNetworkPolicy":"true"}',
        },
      ],
      problems: [],
      endpoint: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com',
      certificateAuthorityData: 'LS0tLS1CRUdJTi1DQQ==',
    });
  });

  it('reports no add-ons, without describing any, when vpc-cni is not installed', async () => {
    // Prepare
    eks.on(DescribeClusterCommand).resolves({ cluster: activeCluster() });
    eks.on(ListAddonsCommand).resolves({ addons: ['coredns'] });

    // Act
    const view = await describeClusterForAudit(client, 'prod');

    // Assess
    expect(view.addons).toEqual([]);
    expect(view.problems).toEqual([]);
    expect(eks.commandCalls(DescribeAddonCommand)).toHaveLength(0);
  });

  it('reports no add-ons when vpc-cni disappears between listing and describing', async () => {
    // Prepare
    eks.on(DescribeClusterCommand).resolves({ cluster: activeCluster() });
    eks.on(ListAddonsCommand).resolves({ addons: ['vpc-cni'] });
    eks.on(DescribeAddonCommand).rejects(new ResourceNotFoundException({ message: 'No addon: vpc-cni', $metadata: {} }));

    // Act
    const view = await describeClusterForAudit(client, 'prod');

    // Assess
    expect(view.addons).toEqual([]);
    expect(view.problems).toEqual([]);
  });

  it('reports a cluster that is not ACTIVE as a cluster problem', async () => {
    // Prepare
    eks.on(DescribeClusterCommand).resolves({ cluster: { ...activeCluster(), status: 'CREATING' } });
    eks.on(ListAddonsCommand).resolves({ addons: [] });

    // Act
    const view = await describeClusterForAudit(client, 'prod');

    // Assess
    expect(view.cluster?.status).toBe('CREATING');
    expect(view.problems).toEqual([
      expect.objectContaining({
        kind: 'cluster',
        reason: 'cluster is CREATING: the Kubernetes API cannot be audited until it is ACTIVE',
      }),
    ]);
  });

  it('turns throttling that outlasted the retries into a cluster problem instead of throwing', async () => {
    // Prepare
    eks.on(DescribeClusterCommand).rejects(throttled());

    // Act
    const view = await describeClusterForAudit(client, 'prod');

    // Assess
    expect(view.cluster).toBeUndefined();
    expect(view.problems).toEqual([
      {
        kind: 'cluster',
        reason: `eks:DescribeCluster was throttled (${EKS_MAX_ATTEMPTS} attempts): the cluster could not be described`,
        remediation: expect.stringContaining('AUDIT_CONCURRENCY'),
      },
    ]);
  });

  it('names the missing IAM action when the add-ons cannot be listed', async () => {
    // Prepare
    eks.on(DescribeClusterCommand).resolves({ cluster: activeCluster() });
    eks.on(ListAddonsCommand).rejects(
      new AccessDeniedException({ message: 'User: arn:aws:sts::123456789012:assumed-role/x is not authorized', $metadata: { httpStatusCode: 403 } }),
    );

    // Act
    const view = await describeClusterForAudit(client, 'prod');

    // Assess
    expect(view.cluster?.name).toBe('prod');
    expect(view.addons).toBeUndefined();
    expect(view.problems).toEqual([
      {
        kind: 'eksAddons',
        reason: 'access denied to eks:ListAddons: the add-ons could not be listed',
        remediation: "Allow the IAM action eks:ListAddons to the auditor's role.",
      },
    ]);
  });

  it('names eks:DescribeAddon when only describing the add-on is denied', async () => {
    // Prepare
    eks.on(DescribeClusterCommand).resolves({ cluster: activeCluster() });
    eks.on(ListAddonsCommand).resolves({ addons: ['vpc-cni'] });
    eks.on(DescribeAddonCommand).rejects(new AccessDeniedException({ message: 'denied', $metadata: { httpStatusCode: 403 } }));

    // Act
    const view = await describeClusterForAudit(client, 'prod');

    // Assess
    expect(view.addons).toBeUndefined();
    expect(view.problems.map((problem) => [problem.kind, problem.reason])).toEqual([
      ['eksAddons', 'access denied to eks:DescribeAddon: the vpc-cni add-on could not be read'],
    ]);
  });
});

describe('createEksClient', () => {
  it('uses the standard retry mode with the documented number of attempts', async () => {
    // Prepare
    const configured = createEksClient('eu-west-1');

    // Act
    const [mode, attempts] = [configured.config.retryMode, await configured.config.maxAttempts()];

    // Assess
    expect([mode, attempts]).toEqual(['standard', EKS_MAX_ATTEMPTS]);
  });
});

describe('clusterIdentity', () => {
  it('takes the account id from the cluster ARN', () => {
    // Prepare
    const cluster = { name: 'prod', arn: 'arn:aws-cn:eks:cn-north-1:210987654321:cluster/prod' };

    // Act
    const identity = clusterIdentity(cluster, 'cn-north-1');

    // Assess
    expect(identity).toEqual({ name: 'prod', arn: cluster.arn, accountId: '210987654321', region: 'cn-north-1' });
  });

  it('leaves the account id out when the cluster has no ARN', () => {
    // Prepare
    const cluster = { name: 'kind-local' };

    // Act
    const identity = clusterIdentity(cluster, 'eu-west-1');

    // Assess
    expect(identity).toEqual({ name: 'kind-local', region: 'eu-west-1' });
  });
});
