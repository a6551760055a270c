/**
 * Child process auditing live clusters through the orchestration the Lambda handler runs (`auditEksFleet`): the EKS
 * API answered by aws-sdk-client-mock after the same latency as the Kubernetes API, the Kubernetes API by the servers
 * of bench/live/kube-servers.ts over real HTTPS with signed EKS tokens. `fleet-audit.ts SPEC_JSON` (a
 * {@link FleetSpec}); reports a {@link FleetMeasurement}.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import {
  DescribeAddonCommand,
  DescribeClusterCommand,
  EKSClient,
  ListAddonsCommand,
  ListClustersCommand,
} from '@aws-sdk/client-eks';
import { mockClient } from 'aws-sdk-client-mock';
import { DEFAULT_EXCLUDED_NAMESPACES } from '../../lambda/audit/finding.js';
import { createEksClient } from '../../lambda/collect/eks.js';
import { DEFAULT_CONCURRENCY, auditEksFleet } from '../../lambda/live/eks-fleet.js';
import { peakRssBytes, reportResult } from '../child-process.js';

/** The clusters to audit (name, API server URL, CA) and the latency of every EKS call. */
export interface FleetSpec {
  clusters: Array<{ name: string; url: string; caData: string }>;
  eksLatencyMs: number;
}

/** What one fleet audit took. */
export interface FleetMeasurement {
  wallMs: number;
  /** CPU time (user + system) the auditing process spent during the audit. */
  cpuMs: number;
  concurrency: number;
  clusters: Array<{ name: string; requests: number; findings: number; failure?: string }>;
  peakRss: number;
}

const REGION = 'eu-west-1';
const ACCOUNT = '111122223333';

async function auditFleet(spec: FleetSpec): Promise<FleetMeasurement> {
  const byName = new Map(spec.clusters.map((cluster) => [cluster.name, cluster]));
  const later = async <T>(answer: () => T): Promise<T> => {
    await sleep(spec.eksLatencyMs);
    return answer();
  };
  const eks = mockClient(EKSClient);
  eks.on(ListClustersCommand).callsFake(() => later(() => ({ clusters: [...byName.keys()] })));
  eks.on(DescribeClusterCommand).callsFake(({ name }: { name: string }) =>
    later(() => {
      const cluster = byName.get(name);
      return {
        cluster: {
          name,
          arn: `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/${name}`,
          status: 'ACTIVE',
          version: '1.31',
          endpoint: cluster?.url,
          certificateAuthority: { data: cluster?.caData },
          accessConfig: { authenticationMode: 'API' },
        },
      };
    }),
  );
  eks.on(ListAddonsCommand).callsFake(() => later(() => ({ addons: ['coredns', 'kube-proxy', 'vpc-cni'] })));
  eks.on(DescribeAddonCommand).callsFake(({ clusterName }: { clusterName: string }) =>
    later(() => ({
      addon: {
        addonName: 'vpc-cni',
        clusterName,
        addonVersion: 'v1.19.2-eksbuild.1',
        status: 'ACTIVE',
        configurationValues: '{"enableNetworkPolicy":"true"}',
      },
    })),
  );

  const client = createEksClient(REGION);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const audits = await auditEksFleet({
    regions: [REGION],
    eksFor: () => client,
    // Only signs the EKS tokens, locally; nothing reaches AWS.
    credentials: { accessKeyId: 'AKIABENCHMARKEXAMPLE', secretAccessKey: 'benchmark-secret-not-used-anywhere' },
    options: { runId: 'bench', observedAt: new Date(), excludedNamespaces: [...DEFAULT_EXCLUDED_NAMESPACES] },
  }, async (audit) => audit);
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    concurrency: DEFAULT_CONCURRENCY,
    clusters: audits.map((audit) => ({
      name: audit.cluster.name,
      requests: audit.requests,
      findings: audit.findings.length,
      ...(audit.failure === undefined ? {} : { failure: audit.failure }),
    })),
    peakRss: peakRssBytes(),
  };
}

reportResult(await auditFleet(JSON.parse(process.argv[2] ?? '{}') as FleetSpec));
