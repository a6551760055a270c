/**
 * Child process serving one synthetic cluster through several Kubernetes API test servers (real HTTPS, each with its
 * own CA), with latency added to every request, so that the audited clusters are as far away as real ones and their
 * serving costs no CPU time of the auditing process. Run by bench/live/index.ts over IPC:
 * `kube-servers.ts FILE SERVERS LATENCY_MS`; it sends {@link ServersReady}, then answers each `stats` message with
 * {@link ServerStats} per server (requests since the previous `stats`).
 */
import type { KubeInventory, KubeObject } from '../../lambda/audit/snapshot.js';
import { apiVersionOf, KINDS } from '../../lambda/audit/kinds.js';
import { ENGINE_CONFIG_MAP_REFS } from '../../lambda/collect/kube-objects.js';
import { loadOfflineSnapshot } from '../../lambda/collect/offline.js';
import { startKubeApiServer } from '../../test/support/kube-api-server.js';

/** Where each server listens and the CA it presents. */
export interface ServersReady {
  servers: Array<{ url: string; caData: string }>;
}

/** Kubernetes requests of one cluster's collection, by what they ask for. */
export interface RequestCounts {
  /** `/apis`, then `/apis/<group>/<version>` for each group version of the kinds table the cluster offers. */
  discovery: number;
  /** List pages, of every kind the cluster serves (at least one a list). */
  pages: number;
  /** The engine ConfigMaps, read by name. */
  configMapGets: number;
}

/** What one server received, and what a complete collection requests of it at the page size the client used. */
export interface ServerStats {
  requests: number;
  received: RequestCounts;
  expected: RequestCounts;
  /** `limit` the client asked for (0 when it did not paginate). */
  pageSize: number;
}

const CONFIG_MAP_GET = /\/configmaps\//;
const DISCOVERY = /^\/apis(\/[^/]+\/[^/]+)?$/;
// EKS tokens as the auditor signs them; the server still refuses a request without one.
const EKS_TOKEN = /^k8s-aws-v1\.[A-Za-z0-9_-]+$/;

/**
 * What collection (lambda/collect/kubernetes.ts) requests of a cluster serving `inventory`: discovery of the kinds
 * table's CRD-backed rows the cluster serves, every page of every listed kind it serves (a built-in one always), and
 * the engine ConfigMaps by name. The bound grows with objects, never with namespaces.
 */
function expectedRequests(inventory: KubeInventory, pageSize: number): RequestCounts {
  const served = KINDS.filter((spec) => spec.bucket !== 'configMaps' && (spec.builtIn || inventory[spec.bucket] !== undefined));
  const groupVersions = new Set(served.filter((spec) => !spec.builtIn).flatMap((spec) => spec.versions.map((version) => apiVersionOf(spec, version))));
  const pages = served.reduce((total, spec) => {
    const objects = (inventory[spec.bucket] as KubeObject[] | undefined)?.length ?? 0;
    return total + (pageSize > 0 ? Math.max(1, Math.ceil(objects / pageSize)) : 1);
  }, 0);
  return { discovery: 1 + groupVersions.size, pages, configMapGets: ENGINE_CONFIG_MAP_REFS.length };
}

/** The requests `received`, sorted as {@link RequestCounts}. */
function receivedRequests(received: ReadonlyArray<{ path: string }>): RequestCounts {
  const configMapGets = received.filter((request) => CONFIG_MAP_GET.test(request.path)).length;
  const discovery = received.filter((request) => DISCOVERY.test(request.path)).length;
  return { discovery, pages: received.length - configMapGets - discovery, configMapGets };
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
    const pageSize = Number(received.find((request) => request.query.limit !== undefined)?.query.limit ?? 0);
    return { requests: received.length, received: receivedRequests(received), expected: expectedRequests(kube, pageSize), pageSize };
  });
  process.send?.(stats);
});
process.on('SIGTERM', () => {
  void Promise.all(servers.map((server) => server.close())).then(() => process.exit(0));
});
const ready: ServersReady = { servers: servers.map(({ url, caData }) => ({ url, caData })) };
process.send?.(ready);
