/**
 * Child process serving one synthetic cluster through several Kubernetes API test servers (real HTTPS, each with its
 * own CA), with latency added to every request, so that the audited clusters are as far away as real ones and their
 * serving costs no CPU time of the auditing process. Run by bench/live/index.ts over IPC:
 * `kube-servers.ts FILE SERVERS LATENCY_MS`; it sends {@link ServersReady}, then answers each `stats` message with
 * {@link ServerStats} per server (requests since the previous `stats`).
 */
import type { KubeInventory, KubeObject } from '../../lambda/audit/snapshot.js';
import { loadOfflineSnapshot } from '../../lambda/collect/offline.js';
import { startKubeApiServer } from '../../test/support/kube-api-server.js';

/** Where each server listens and the CA it presents. */
export interface ServersReady {
  servers: Array<{ url: string; caData: string }>;
}

/** The requests one server received, and the list pages a complete read takes at the page size the client used. */
export interface ServerStats {
  requests: number;
  listRequests: number;
  /** `limit` the client asked for (0 when it did not paginate). */
  pageSize: number;
  expectedPages: number;
}

const LIST_BUCKETS = ['namespaces', 'pods', 'networkPolicies', 'daemonSets', 'replicaSets', 'jobs', 'nodes'] as const;
const CONFIG_MAP_GET = /\/configmaps\//;
// EKS tokens as the auditor signs them; the server still refuses a request without one.
const EKS_TOKEN = /^k8s-aws-v1\.[A-Za-z0-9_-]+$/;

/** The pages a complete read of `inventory` takes with `pageSize` objects a page (at least one per list). */
function expectedPages(inventory: KubeInventory, pageSize: number): number {
  return LIST_BUCKETS.reduce((pages, bucket) => {
    const objects = (inventory[bucket] as KubeObject[] | undefined)?.length ?? 0;
    return pages + (pageSize > 0 ? Math.max(1, Math.ceil(objects / pageSize)) : 1);
  }, 0);
}

const [file, count, latency] = process.argv.slice(2);
const { kube } = await loadOfflineSnapshot({ kube: [file as string], eksAddons: [] }, () => undefined);
const servers = await Promise.all(
  Array.from({ length: Number(count) }, () =>
    startKubeApiServer({ inventory: kube, latencyMs: Number(latency), token: (token) => EKS_TOKEN.test(token) }),
  ),
);
process.on('message', (message) => {
  if (message !== 'stats') return;
  const stats: ServerStats[] = servers.map((server) => {
    const received = server.requests.splice(0);
    const lists = received.filter((request) => !CONFIG_MAP_GET.test(request.path));
    const pageSize = Number(lists[0]?.query.limit ?? 0);
    return { requests: received.length, listRequests: lists.length, pageSize, expectedPages: expectedPages(kube, pageSize) };
  });
  process.send?.(stats);
});
process.on('SIGTERM', () => {
  void Promise.all(servers.map((server) => server.close())).then(() => process.exit(0));
});
const ready: ServersReady = { servers: servers.map(({ url, caData }) => ({ url, caData })) };
process.send?.(ready);
