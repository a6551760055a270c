/**
 * A local EKS endpoint for tests that cannot stub the SDK (a bundled handler carries its own copy): it speaks EKS's
 * REST-JSON protocol over HTTP on 127.0.0.1 for the four reads the audit makes — ListClusters, DescribeCluster,
 * ListAddons and DescribeAddon — so a real EKSClient reaches it through `endpoint` or `AWS_ENDPOINT_URL_EKS`.
 * Requests are not authenticated; each one is recorded.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Addon, Cluster } from '@aws-sdk/client-eks';

/** One cluster the endpoint knows: its DescribeCluster answer and its add-ons by name. */
export interface EksServerCluster {
  cluster: Cluster;
  addons?: Addon[];
}

/** A running endpoint. */
export interface EksTestServer {
  endpoint: string;
  /** `GET /clusters/prod` and the like, in arrival order. */
  requests: string[];
  stop(): Promise<void>;
}

const ADDON_PATH = /^\/clusters\/([^/]+)\/addons\/([^/]+)$/;
const ADDONS_PATH = /^\/clusters\/([^/]+)\/addons$/;
const CLUSTER_PATH = /^\/clusters\/([^/]+)$/;

/** Starts the endpoint on a free port of 127.0.0.1, serving `clusters` (in one ListClusters page). */
export async function startEksServer(clusters: EksServerCluster[]): Promise<EksTestServer> {
  const requests: string[] = [];
  const byName = new Map(clusters.map((entry) => [entry.cluster.name as string, entry]));
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    requests.push(`${request.method} ${path}`);
    request.resume();
    request.on('end', () => answer(path, byName, response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    stop: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function answer(path: string, clusters: Map<string, EksServerCluster>, response: ServerResponse): void {
  if (path === '/clusters') return send(response, 200, { clusters: [...clusters.keys()] });
  const [, name = '', addonName] = ADDON_PATH.exec(path) ?? ADDONS_PATH.exec(path) ?? CLUSTER_PATH.exec(path) ?? [];
  const entry = clusters.get(decodeURIComponent(name));
  if (!entry) return notFound(response, `No cluster found for name: ${name}.`);
  if (CLUSTER_PATH.test(path)) return send(response, 200, { cluster: entry.cluster });
  const addons = entry.addons ?? [];
  if (addonName === undefined) return send(response, 200, { addons: addons.map((addon) => addon.addonName) });
  const addon = addons.find((candidate) => candidate.addonName === decodeURIComponent(addonName));
  return addon ? send(response, 200, { addon }) : notFound(response, `No addon: ${addonName} found in cluster: ${name}`);
}

/** EKS names its errors in the `x-amzn-errortype` header; the SDK turns this one into ResourceNotFoundException. */
function notFound(response: ServerResponse, message: string): void {
  send(response, 404, { message }, { 'x-amzn-errortype': 'ResourceNotFoundException' });
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}
