/**
 * Auditing many EKS clusters: EKS through aws-sdk-client-mock, each cluster's Kubernetes API a real HTTPS test server
 * reached by client-node with a real EKS token. One cluster's fault never stops the others.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { DescribeClusterCommand, EKSClient, ListAddonsCommand, ListClustersCommand } from '@aws-sdk/client-eks';
import { mockClient } from 'aws-sdk-client-mock';
import type { Finding } from '../../lambda/audit/finding.js';
import type { KubeInventory } from '../../lambda/audit/snapshot.js';
import { createEksClient } from '../../lambda/collect/eks.js';
import { failedClustersOf, type ClusterAudit } from '../../lambda/live/cluster-audit.js';
import { WHOLE_REGION, auditEksFleet, type EksFleetRequest } from '../../lambda/live/eks-fleet.js';
import type { KubeApiServer } from '../support/kube-api-server.js';
import { FAST_COLLECT, TEST_CREDENTIALS, describedCluster, passingInventory, startEksApiServer } from './fixtures.js';

const REGION = 'eu-west-1';
const eks = mockClient(EKSClient);
let inventory: KubeInventory;
let healthy: KubeApiServer;
let broken: KubeApiServer;

beforeAll(async () => {
  inventory = await passingInventory();
  healthy = await startEksApiServer(inventory);
  broken = await startEksApiServer(inventory, [{ path: '/api/v1/pods', status: 500 }]);
});
afterAll(async () => {
  await healthy.close();
  await broken.close();
});
afterEach(() => {
  eks.reset();
});

/** `region` lists `clusters`; each is described on its server, ACTIVE unless `status` says otherwise, without add-ons. */
function serveRegion(region: string, clusters: Record<string, { server: KubeApiServer; status?: 'ACTIVE' | 'CREATING' }>): void {
  eks.on(ListClustersCommand).resolves({ clusters: Object.keys(clusters) });
  for (const [name, { server, status }] of Object.entries(clusters)) {
    eks.on(DescribeClusterCommand, { name }).resolves({ cluster: describedCluster(name, region, server, status) });
  }
  eks.on(ListAddonsCommand).resolves({ addons: [] });
}

/** The fleet's `finish` that keeps each cluster's audit as it is. */
const keep = async (audit: ClusterAudit): Promise<ClusterAudit> => audit;

function request(overrides: Partial<EksFleetRequest> = {}): EksFleetRequest {
  return {
    regions: [REGION],
    eksFor: (region) => createEksClient(region),
    credentials: TEST_CREDENTIALS,
    options: { runId: 'run-1', observedAt: new Date('2025-06-02T06:00:00Z'), excludedNamespaces: ['kube-system'], collect: FAST_COLLECT },
    ...overrides,
  };
}

function auditOf(audits: ClusterAudit[], name: string): ClusterAudit {
  const audit = audits.find((candidate) => candidate.cluster.name === name);
  if (!audit) throw new Error(`no audit of ${name}`);
  return audit;
}

function control(findings: Finding[]): Finding | undefined {
  return findings.find((finding) => finding.check_id === 'control');
}

describe('auditEksFleet', () => {
  it('audits healthy clusters normally while one failing mid-list yields UNKNOWN findings and a failed entry', async () => {
    // Prepare
    serveRegion(REGION, { alpha: { server: healthy }, beta: { server: healthy }, gamma: { server: broken } });

    // Act
    const audits = await auditEksFleet(request(), keep);

    // Assess
    expect(audits.map((audit) => audit.cluster.name)).toEqual(['alpha', 'beta', 'gamma']);
    for (const name of ['alpha', 'beta']) {
      const audit = auditOf(audits, name);
      expect(audit.failure).toBeUndefined();
      expect(control(audit.findings)?.status).toBe('PASS');
      expect(audit.cluster).toEqual({ name, arn: `arn:aws:eks:${REGION}:123456789012:cluster/${name}`, accountId: '123456789012', region: REGION });
    }
    const gamma = auditOf(audits, 'gamma');
    expect(gamma.failure).toMatch(/HTTP 500/);
    expect(control(gamma.findings)?.status).toBe('UNKNOWN');
    expect(new Set(gamma.findings.map((finding) => finding.status))).toEqual(new Set(['UNKNOWN']));
    expect(failedClustersOf(audits)).toEqual([{ cluster: gamma.cluster, reason: gamma.failure }]);
    expect(broken.requests.some((entry) => entry.path === '/api/v1/namespaces' && entry.status === 200)).toBe(true);
  });

  it('audits a CREATING cluster from the EKS view alone, saying why its checks are UNKNOWN', async () => {
    // Prepare
    serveRegion(REGION, { fresh: { server: healthy, status: 'CREATING' } });
    const requestsBefore = healthy.requests.length;

    // Act
    const audits = await auditEksFleet(request(), keep);

    // Assess
    const fresh = auditOf(audits, 'fresh');
    expect(fresh.failure).toMatch(/cluster is CREATING/);
    expect(control(fresh.findings)).toMatchObject({ status: 'UNKNOWN' });
    expect(fresh.findings.find((finding) => finding.check_id === 'namespace-coverage')?.message).toMatch(/CREATING/);
    expect(healthy.requests.length).toBe(requestsBefore);
  });

  it('turns a cluster whose audit throws into UNKNOWN findings and a failed entry, auditing the others', async () => {
    // Prepare: a name no EKS token can be signed for makes the cluster's audit throw
    serveRegion(REGION, { alpha: { server: healthy }, 'bad.name': { server: healthy } });

    // Act
    const audits = await auditEksFleet(request(), keep);

    // Assess
    expect(auditOf(audits, 'alpha').failure).toBeUndefined();
    const bad = auditOf(audits, 'bad.name');
    expect(bad.failure).toMatch(/failed unexpectedly: cannot sign an EKS token/);
    // Described before it threw: its findings carry the ARN and account, as on the runs where it is audited.
    expect(bad.cluster).toEqual({ name: 'bad.name', arn: `arn:aws:eks:${REGION}:123456789012:cluster/bad.name`, accountId: '123456789012', region: REGION });
    expect(control(bad.findings)?.status).toBe('UNKNOWN');
  });

  it('never has more clusters in flight than the concurrency bound', async () => {
    // Prepare
    const names = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'];
    serveRegion(REGION, Object.fromEntries(names.map((name) => [name, { server: healthy }])));
    let inFlight = 0;
    let peak = 0;
    eks.on(DescribeClusterCommand).callsFake(async (input: { name: string }) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      return { cluster: describedCluster(input.name, REGION, healthy) };
    });

    // Act
    const audits = await auditEksFleet(request({ concurrency: 2 }), async (audit) => {
      inFlight -= 1;
      return audit;
    });

    // Assess
    expect(audits).toHaveLength(6);
    expect(peak).toBe(2);
  });

  it('reports a region that cannot be listed as an UNKNOWN finding on the region, and still audits the other regions', async () => {
    // Prepare
    const failing = createEksClient('eu-central-1');
    const working = createEksClient(REGION);
    eks.on(ListClustersCommand).callsFake(async (_input, getClient) => {
      if (getClient() === failing) throw Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException' });
      return { clusters: ['alpha'] };
    });
    eks.on(DescribeClusterCommand).resolves({ cluster: describedCluster('alpha', REGION, healthy) });
    eks.on(ListAddonsCommand).resolves({ addons: [] });

    // Act
    const audits = await auditEksFleet(
      request({ regions: [REGION, 'eu-central-1'], eksFor: (region) => (region === REGION ? working : failing) }),
      keep,
    );

    // Assess
    expect(audits.map((audit) => audit.cluster.name)).toEqual([WHOLE_REGION, 'alpha']);
    const region = auditOf(audits, WHOLE_REGION);
    expect(region.cluster).toEqual({ name: WHOLE_REGION, region: 'eu-central-1' });
    expect(region.failure).toMatch(/^the clusters of eu-central-1 could not be listed: eks:ListClusters failed in eu-central-1: AccessDeniedException/);
    expect(region.findings).toEqual([
      expect.objectContaining({
        check_id: 'control',
        status: 'UNKNOWN',
        severity: 'Medium',
        resource: { kind: 'Region', namespace: null, name: 'eu-central-1' },
        cluster: { name: WHOLE_REGION, arn: null, account_id: null, region: 'eu-central-1' },
        message: `C-0230 cannot be decided: ${region.failure}.`,
        remediation: expect.stringContaining('eks:ListClusters in eu-central-1'),
      }),
    ]);
  });

  it('audits only the named clusters, reporting a name found in no region as an UNKNOWN finding on it', async () => {
    // Prepare
    serveRegion(REGION, { alpha: { server: healthy }, beta: { server: healthy } });

    // Act
    const audits = await auditEksFleet(request({ clusters: ['beta', 'ghost'], filters: { include: ['alpha'], exclude: ['beta'] } }), keep);

    // Assess
    expect(audits.map((audit) => audit.cluster.name)).toEqual(['ghost', 'beta']);
    const ghost = auditOf(audits, 'ghost');
    expect(ghost.failure).toBe(`no EKS cluster named ghost in ${REGION}`);
    expect(ghost.findings.map((finding) => [finding.check_id, finding.status, finding.resource])).toEqual([
      ['control', 'UNKNOWN', { kind: 'Cluster', namespace: null, name: 'ghost' }],
    ]);
  });

  it('never says a named cluster does not exist when a region could not be listed', async () => {
    // Prepare
    eks.on(ListClustersCommand).rejects(Object.assign(new Error('The security token included in the request is invalid'), { name: 'UnrecognizedClientException' }));

    // Act
    const audits = await auditEksFleet(request({ clusters: ['ghost'] }), keep);

    // Assess
    expect(failedClustersOf(audits)).toEqual([
      { cluster: { name: WHOLE_REGION, region: REGION }, reason: expect.stringMatching(/^the clusters of eu-west-1 could not be listed: .*UnrecognizedClientException/) },
      { cluster: { name: 'ghost' }, reason: `EKS cluster ghost could not be looked up: the clusters of ${REGION} could not be listed` },
    ]);
  });

  it('applies the name filters when discovering every cluster', async () => {
    // Prepare
    serveRegion(REGION, { 'prod-a': { server: healthy }, 'prod-b': { server: healthy }, 'dev-a': { server: healthy } });

    // Act
    const audits = await auditEksFleet(request({ filters: { include: ['prod-*'], exclude: ['*-b'] } }), keep);

    // Assess
    expect(audits.map((audit) => audit.cluster.name)).toEqual(['prod-a']);
  });
});
