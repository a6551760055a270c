/**
 * An AWS Organization simulated for the organization-mode tests and benchmark: Organizations, STS, Account and EKS
 * answered by aws-sdk-client-mock after a fixed latency (no local server is practical for them), each member
 * account's identity carried by the credentials its assumed role returns, and the clusters' Kubernetes APIs served
 * over real HTTPS by a few Kubernetes API test servers holding the example capture. Faults: accounts whose member
 * role is missing, and clusters whose API cannot be reached.
 */
import { createServer, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { AccountClient, ListRegionsCommand } from '@aws-sdk/client-account';
import { DescribeAddonCommand, DescribeClusterCommand, EKSClient, ListAddonsCommand, ListClustersCommand } from '@aws-sdk/client-eks';
import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { KINDS } from '../../lambda/audit/kinds.js';
import type { KubeInventory } from '../../lambda/audit/snapshot.js';
import { loadOfflineSnapshot } from '../../lambda/collect/offline.js';
import type { ClusterItem } from '../../lambda/org/run-layout.js';
import { startKubeApiServer, type KubeApiServer } from './kube-api-server.js';

/** The organization to simulate. */
export interface OrganizationShape {
  accounts: number;
  regions: string[];
  clustersPerRegion: number;
  /** Latency of every AWS and Kubernetes request. */
  latencyMs: number;
  /** Indexes of accounts without the member role (AssumeRole is refused). */
  missingRole?: number[];
  /** Clusters whose Kubernetes API cannot be reached. */
  unreachable?: ClusterItem[];
  /** Clusters whose Kubernetes API accepts connections and never answers (only a deadline ends their audit). */
  stuck?: ClusterItem[];
  /** Kubernetes API servers shared by the clusters. */
  kubeServers?: number;
}

/** The running simulation. */
export interface SimulatedOrganization {
  /** Every ACTIVE account id, in order (a SUSPENDED one is listed too, but not here). */
  accounts: string[];
  suspendedAccount: string;
  /** Every cluster of every account, reachable or not (those of accounts without the role too). */
  clusters: ClusterItem[];
  /** Requests made, per API. */
  requests: Record<'organizations' | 'sts' | 'account' | 'eks', number>;
  /** Kubernetes API requests received by the servers. */
  kubeRequests(): number;
  /** The most EKS requests in flight at once, per account. */
  peakEksConcurrency: Map<string, number>;
  stop(): Promise<void>;
}

/** Cluster names: the same names in every account and region, so collisions would show. */
export function clusterNames(count: number): string[] {
  const base = ['prod', 'staging', 'dev', 'batch', 'edge'];
  return Array.from({ length: count }, (_, index) => base[index] ?? `svc-${String(index).padStart(3, '0')}`);
}

/** The 12-digit id of account `index`. */
export function accountId(index: number): string {
  return String(200000000000 + index);
}

const CAPTURE = new URL('../../examples/shop-eu/cluster.json', import.meta.url);
const EKS_TOKEN = /^k8s-aws-v1\.[A-Za-z0-9_-]+$/;

/** Starts the simulation; `stop()` restores the SDK clients and closes the servers. */
export async function simulateOrganization(shape: OrganizationShape): Promise<SimulatedOrganization> {
  const accounts = Array.from({ length: shape.accounts }, (_, index) => accountId(index));
  const suspendedAccount = accountId(shape.accounts);
  const missing = new Set((shape.missingRole ?? []).map(accountId));
  const names = clusterNames(shape.clustersPerRegion);
  const clusters = accounts.flatMap((account) => shape.regions.flatMap((region) => names.map((name) => ({ account, region, name }))));
  const unreachable = new Set((shape.unreachable ?? []).map(clusterKey));
  const stuck = new Set((shape.stuck ?? []).map(clusterKey));
  const silent = await silentServer();
  const { kube } = await loadOfflineSnapshot({ kube: [CAPTURE.pathname], eksAddons: [] }, () => undefined);
  // The VPC CNI's policy agent installs the AWS policy APIs: the simulated clusters serve every kind, empty when the
  // capture has none, so a verdict is never UNKNOWN for a kind the API server would have answered.
  const inventory = Object.fromEntries(KINDS.map(({ bucket }) => [bucket, (kube as Record<string, unknown>)[bucket] ?? []])) as KubeInventory;
  const servers: KubeApiServer[] = await Promise.all(
    Array.from({ length: shape.kubeServers ?? 4 }, () =>
      startKubeApiServer({ inventory, latencyMs: shape.latencyMs, token: (token) => EKS_TOKEN.test(token) }),
    ),
  );

  const requests = { organizations: 0, sts: 0, account: 0, eks: 0 };
  const inFlight = new Map<string, number>();
  const peakEksConcurrency = new Map<string, number>();
  const later = async <T>(api: keyof typeof requests, answer: () => T): Promise<T> => {
    requests[api] += 1;
    await sleep(shape.latencyMs);
    return answer();
  };

  const organizations = mockClient(OrganizationsClient);
  const pageSize = 10;
  const listed = [...accounts.map((id) => ({ Id: id, Name: `team-${id.slice(-3)}`, State: 'ACTIVE' as const })), { Id: suspendedAccount, Name: 'closed', State: 'SUSPENDED' as const }];
  organizations.on(ListAccountsCommand).callsFake(({ NextToken }: { NextToken?: string }) =>
    later('organizations', () => {
      const start = Number(NextToken ?? 0);
      const next = start + pageSize;
      return { Accounts: listed.slice(start, next), ...(next < listed.length ? { NextToken: String(next) } : {}) };
    }),
  );

  const sts = mockClient(STSClient);
  sts.on(AssumeRoleCommand).callsFake(({ RoleArn }: { RoleArn: string }) =>
    later('sts', () => {
      const account = RoleArn.split(':')[4] as string;
      if (missing.has(account)) {
        throw Object.assign(new Error(`User: arn:aws:sts::111122223333:assumed-role/hub is not authorized to perform: sts:AssumeRole on resource: ${RoleArn}`), {
          name: 'AccessDenied',
          $metadata: { httpStatusCode: 403 },
        });
      }
      return {
        Credentials: {
          AccessKeyId: `ASIA${account}`,
          SecretAccessKey: `secret-of-${account}`,
          SessionToken: `session-of-${account}`,
          Expiration: new Date(Date.now() + 3_600_000),
        },
      };
    }),
  );

  const accountApi = mockClient(AccountClient);
  accountApi.on(ListRegionsCommand).callsFake(() =>
    later('account', () => ({ Regions: shape.regions.map((region) => ({ RegionName: region, RegionOptStatus: 'ENABLED_BY_DEFAULT' as const })) })),
  );

  const eks = mockClient(EKSClient);
  /** The member account and region of the client a request came through: its credentials carry the account. */
  const whoAsks = async (client: EKSClient) => {
    const credentials = await client.config.credentials();
    return { account: credentials.accessKeyId.replace(/^ASIA/, ''), region: await client.config.region() };
  };
  const answerEks = <T>(answer: (caller: { account: string; region: string }, input: any) => T) =>
    async (input: any, getClient: () => unknown) => {
      const caller = await whoAsks(getClient() as EKSClient);
      const running = (inFlight.get(caller.account) ?? 0) + 1;
      inFlight.set(caller.account, running);
      peakEksConcurrency.set(caller.account, Math.max(peakEksConcurrency.get(caller.account) ?? 0, running));
      try {
        return await later('eks', () => answer(caller, input));
      } finally {
        inFlight.set(caller.account, (inFlight.get(caller.account) ?? 1) - 1);
      }
    };
  eks.on(ListClustersCommand).callsFake(answerEks(() => ({ clusters: names })));
  eks.on(DescribeClusterCommand).callsFake(
    answerEks(({ account, region }, { name }: { name: string }) => {
      const server = servers[Math.abs(hash(`${account}/${region}/${name}`)) % servers.length] as KubeApiServer;
      const reachable = !unreachable.has(clusterKey({ account, region, name }));
      return {
        cluster: {
          name,
          arn: `arn:aws:eks:${region}:${account}:cluster/${name}`,
          status: 'ACTIVE',
          version: '1.31',
          // Port 9 (discard) on the loopback: nothing listens, the connection is refused at once.
          endpoint: stuck.has(clusterKey({ account, region, name })) ? silent.url : reachable ? server.url : 'https://127.0.0.1:9',
          certificateAuthority: { data: server.caData },
          accessConfig: { authenticationMode: 'API' },
        },
      };
    }),
  );
  eks.on(ListAddonsCommand).callsFake(answerEks(() => ({ addons: ['vpc-cni'] })));
  eks.on(DescribeAddonCommand).callsFake(
    answerEks((_, { clusterName }: { clusterName: string }) => ({
      addon: { addonName: 'vpc-cni', clusterName, addonVersion: 'v1.19.2-eksbuild.1', status: 'ACTIVE', configurationValues: '{"enableNetworkPolicy":"true"}' },
    })),
  );

  return {
    accounts,
    suspendedAccount,
    clusters,
    requests,
    kubeRequests: () => servers.reduce((sum, server) => sum + server.requests.length, 0),
    peakEksConcurrency,
    stop: async () => {
      for (const mock of [organizations, sts, accountApi, eks]) mock.restore();
      await Promise.all([...servers.map((server) => server.close()), silent.close()]);
    },
  };
}

/** A TCP server on the loopback that accepts every connection and never sends a byte (not even a TLS handshake). */
async function silentServer(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `https://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function clusterKey(cluster: ClusterItem): string {
  return `${cluster.account}/${cluster.region}/${cluster.name}`;
}

function hash(text: string): number {
  let value = 0;
  for (const char of text) value = (value * 31 + char.charCodeAt(0)) | 0;
  return value;
}
