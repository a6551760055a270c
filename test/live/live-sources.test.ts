/**
 * The command line's live sources: a kubeconfig context served by the Kubernetes API test server (client-node reads
 * the file as kubectl would), and EKS clusters through aws-sdk-client-mock plus test servers.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { DescribeClusterCommand, EKSClient, ListAddonsCommand, ListClustersCommand } from '@aws-sdk/client-eks';
import { mockClient } from 'aws-sdk-client-mock';
import { auditLiveSources, terminalProgress, type LiveRunOptions } from '../../cli/live-sources.js';
import { UsageError } from '../../cli/io.js';
import { createEksClient } from '../../lambda/collect/eks.js';
import { startKubeApiServer, type KubeApiServer } from '../support/kube-api-server.js';
import { FAST_COLLECT, TEST_CREDENTIALS, describedCluster, passingInventory, startEksApiServer } from './fixtures.js';

const eks = mockClient(EKSClient);
let plain: KubeApiServer;
let eksApi: KubeApiServer;
let down: KubeApiServer;
let directory: string;

beforeAll(async () => {
  const inventory = await passingInventory();
  plain = await startKubeApiServer({ inventory });
  eksApi = await startEksApiServer(inventory);
  down = await startEksApiServer(inventory, [{ path: '/api/v1/namespaces', status: 503 }]);
  directory = await mkdtemp(join(tmpdir(), 'live-sources-'));
});
afterAll(async () => {
  await Promise.all([plain.close(), eksApi.close(), down.close()]);
  await rm(directory, { recursive: true, force: true });
});
afterEach(() => {
  eks.reset();
});

/** Writes a kubeconfig with one context per entry, each on `plain` with its token; the first is current unless `current` is set. */
async function kubeconfig(file: string, contexts: Array<{ context: string; cluster: string }>, current?: string): Promise<string> {
  const path = join(directory, file);
  const yaml = [
    'apiVersion: v1',
    'kind: Config',
    `current-context: "${current ?? contexts[0]?.context ?? ''}"`,
    'clusters:',
    ...contexts.flatMap(({ cluster }) => [`- name: "${cluster}"`, '  cluster:', `    server: ${plain.url}`, `    certificate-authority-data: ${plain.caData}`]),
    'users:',
    `- name: reader`,
    '  user:',
    `    token: ${plain.token}`,
    'contexts:',
    ...contexts.flatMap(({ context, cluster }) => [`- name: "${context}"`, '  context:', `    cluster: "${cluster}"`, '    user: reader']),
  ].join('\n');
  await writeFile(path, `${yaml}\n`);
  return path;
}

function options(overrides: Partial<LiveRunOptions> = {}): LiveRunOptions {
  return {
    runId: 'cli-run',
    observedAt: new Date('2025-06-02T06:00:00Z'),
    excludedNamespaces: ['kube-system'],
    collect: FAST_COLLECT,
    env: {},
    ...overrides,
  };
}

describe('auditLiveSources with a kubeconfig', () => {
  it("audits the current context's cluster, named after the context", async () => {
    // Prepare
    const file = await kubeconfig('single.yaml', [{ context: 'kind-dev', cluster: 'kind-dev-cluster' }]);
    const lines: string[] = [];

    // Act
    const result = await auditLiveSources({ mode: 'kubeconfig', kubeconfig: file }, options({ progress: (line) => lines.push(line) }));

    // Assess
    expect(result.failedClusters).toEqual([]);
    expect(result.findings.find((finding) => finding.check_id === 'control')).toMatchObject({
      status: 'PASS',
      cluster: { name: 'kind-dev', arn: null, account_id: null, region: null },
    });
    expect(lines).toEqual([expect.stringMatching(/^kind-dev: PASS; findings: 0 FAIL, 0 UNKNOWN, \d+ PASS$/)]);
  });

  it('identifies a cluster entry named by its EKS ARN by name, account and region', async () => {
    // Prepare
    const arn = 'arn:aws:eks:eu-west-1:123456789012:cluster/prod';
    const file = await kubeconfig('eks.yaml', [{ context: arn, cluster: arn }]);

    // Act
    const result = await auditLiveSources({ mode: 'kubeconfig', kubeconfig: file }, options());

    // Assess
    expect(result.findings[0]?.cluster).toEqual({ name: 'prod', arn, account_id: '123456789012', region: 'eu-west-1' });
  });

  it('finds --context in any file of $KUBECONFIG', async () => {
    // Prepare
    const first = await kubeconfig('first.yaml', [{ context: 'one', cluster: 'one' }]);
    const second = await kubeconfig('second.yaml', [{ context: 'two', cluster: 'two' }]);

    // Act
    const result = await auditLiveSources({ mode: 'kubeconfig', context: 'two' }, options({ env: { KUBECONFIG: `${first}${delimiter}${second}` } }));

    // Assess
    expect(result.findings[0]?.cluster.name).toBe('two');
  });

  it('answers an unknown --context with a usage error naming the file and the contexts it has', async () => {
    // Prepare
    const file = await kubeconfig('contexts.yaml', [{ context: 'a', cluster: 'a' }, { context: 'b', cluster: 'b' }]);

    // Act
    const audit = auditLiveSources({ mode: 'kubeconfig', kubeconfig: file, context: 'c' }, options());

    // Assess
    await expect(audit).rejects.toThrow(UsageError);
    await expect(audit).rejects.toThrow(`context "c" is not in kubeconfig ${file} (contexts: a, b)`);
  });

  it('answers a missing kubeconfig file with a usage error naming it', async () => {
    // Prepare
    const file = join(directory, 'absent.yaml');

    // Act
    const audit = auditLiveSources({ mode: 'kubeconfig', kubeconfig: file }, options());

    // Assess
    await expect(audit).rejects.toThrow(new UsageError(`cannot read kubeconfig ${file}: no such file`));
  });
});

describe('auditLiveSources with EKS clusters', () => {
  function serveClusters(): void {
    eks.on(ListClustersCommand).resolves({ clusters: ['prod', 'stuck'] });
    eks.on(DescribeClusterCommand, { name: 'prod' }).resolves({ cluster: describedCluster('prod', 'eu-west-1', eksApi) });
    eks.on(DescribeClusterCommand, { name: 'stuck' }).resolves({ cluster: describedCluster('stuck', 'eu-west-1', down) });
    eks.on(ListAddonsCommand).resolves({ addons: [] });
  }
  const aws = { credentials: async () => TEST_CREDENTIALS, eksFor: (region: string) => createEksClient(region) };

  it('audits every cluster of the default region, returning the ones it could not audit, one progress line each', async () => {
    // Prepare
    serveClusters();
    const lines: string[] = [];

    // Act
    const result = await auditLiveSources(
      { mode: 'eks', clusters: [], allClusters: true, regions: [] },
      options({ env: { AWS_REGION: 'eu-west-1' }, aws, progress: (line) => lines.push(line) }),
    );

    // Assess
    expect(new Set(result.findings.map((finding) => finding.cluster.name))).toEqual(new Set(['prod', 'stuck']));
    expect(result.failedClusters).toEqual([
      { cluster: expect.objectContaining({ name: 'stuck', region: 'eu-west-1' }), reason: expect.stringMatching(/HTTP 503/) },
    ]);
    expect(lines.sort()).toEqual([
      expect.stringMatching(/^prod \(eu-west-1\): PASS; findings: 0 FAIL, 0 UNKNOWN, \d+ PASS$/),
      expect.stringMatching(/^stuck \(eu-west-1\): not audited: HTTP 503/),
    ]);
  });

  it('audits only the clusters named with --cluster', async () => {
    // Prepare
    serveClusters();

    // Act
    const result = await auditLiveSources({ mode: 'eks', clusters: ['prod'], allClusters: false, regions: ['eu-west-1'] }, options({ aws }));

    // Assess
    expect(new Set(result.findings.map((finding) => finding.cluster.name))).toEqual(new Set(['prod']));
    expect(result.failedClusters).toEqual([]);
  });

  it('asks for a region when neither --region nor AWS_REGION gives one', async () => {
    // Act
    const audit = auditLiveSources({ mode: 'eks', clusters: ['prod'], allClusters: false, regions: [] }, options({ aws }));

    // Assess
    await expect(audit).rejects.toThrow(new UsageError('no AWS region: pass --region R or set AWS_REGION'));
  });
});

describe('terminalProgress', () => {
  it('writes progress lines to stderr when it is a terminal', () => {
    // Prepare
    const written: string[] = [];
    const io = { stdout: { write: () => true }, stderr: { write: (text: string) => written.push(text), isTTY: true }, env: {} };

    // Act
    terminalProgress(io)?.('prod: 10 findings');

    // Assess
    expect(written).toEqual(['prod: 10 findings\n']);
  });

  it('stays quiet when stderr is not a terminal', () => {
    // Act
    const progress = terminalProgress({ stdout: { write: () => true }, stderr: { write: () => true }, env: {} });

    // Assess
    expect(progress).toBeUndefined();
  });
});
