/**
 * A Kubernetes API server for tests and benchmarks: real HTTPS on 127.0.0.1 with a CA generated at start, serving a
 * {@link KubeInventory} as the real API does (typed lists without `kind` on items, `limit`/`continue` pagination,
 * single ConfigMap gets, `Status` error bodies), requiring a bearer token, and injecting faults per path.
 *
 * What it answers:
 * - The cluster-wide list of every row of the kinds table (`/api/v1/pods`, `/apis/networking.k8s.aws/v1alpha1/
 *   policyendpoints`, …; see {@link listPath}): the inventory's objects as a `…List`. A kind the inventory leaves
 *   `undefined` is answered `403 Forbidden`, as a cluster that withholds it would.
 * - Discovery as the real API serves it: `/api` (APIVersions), `/apis` (APIGroupList), `/apis/<group>/<version>`
 *   (APIResourceList), and the CRDs of the served CRD-backed rows (`/apis/apiextensions.k8s.io/v1/
 *   customresourcedefinitions`). A row not served (see `served`) is in none of them, and its list is `404`.
 * - `GET /api/v1/namespaces/{ns}/configmaps/{name}`: the ConfigMap, or `404 NotFound`; `403` when the inventory has
 *   no `configMaps` at all.
 * - Anything else: `404 NotFound`. A request without the expected `Authorization: Bearer …`: `401 Unauthorized`.
 */
import { apiVersionOf, KINDS, listPath, type KindSpec } from '../../lambda/audit/kinds.js';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeInventory, KubeObject, ServedKinds } from '../../lambda/audit/snapshot.js';
import { kubeConfigForEks } from '../../lambda/collect/kubernetes.js';
import { createTestCertificates } from './tls.js';

/** A fault injected on one path (the URL path without its query, e.g. `/api/v1/pods`). */
export interface KubeFault {
  path: string;
  /**
   * The status to answer with (401, 403, 404, 429, 500, 503, …), with a `Status` body. Leave it out for a fault that
   * only delays (see {@link KubeFault.delayMs}) and then answers normally.
   */
  status?: number;
  /** The `Status` message of the fault's answer (default: `injected <status> for <path>`). */
  message?: string;
  /** `Retry-After` header (seconds) sent with the fault's answer; a 429 without it gets `1`. */
  retryAfterSeconds?: number;
  /** Wait this long before answering: more than the client's timeout makes a slow response the client gives up on. */
  delayMs?: number;
  /** The fault applies to the first `times` requests to the path, then the path answers normally. Default: all. */
  times?: number;
  /** A misbehaving answer instead of the normal one (see {@link FaultMode}); `status` is ignored when set. */
  mode?: FaultMode;
  /** `redirect`: where to (an absolute URL); `oversized`: how many bytes the page has. */
  redirectTo?: string;
  bytes?: number;
}

/**
 * Answers a misbehaving server or proxy gives (issue 9's fault list):
 * - `continue-forever`: a list page with no items and a new `continue` token every time;
 * - `same-continue`: a list page whose `continue` token is always the same;
 * - `cut-body`: a `Content-Length` twice the body sent, then the connection closed;
 * - `html`: `200` with an HTML login page; `status-200`: `200` with a `Status` body;
 * - `wrong-list-kind`: a `NamespaceList` whatever was asked; `wrong-item-kind`: the list with a `Secret` item;
 * - `bad-item`: the list with one more item whose `metadata` is `null`;
 * - `redirect`: `302` to `redirectTo`; `oversized`: a `200` list of `bytes` bytes, streamed;
 * - `slow-body`: headers, then one byte a second.
 */
export type FaultMode =
  | 'continue-forever'
  | 'same-continue'
  | 'cut-body'
  | 'html'
  | 'status-200'
  | 'wrong-list-kind'
  | 'wrong-item-kind'
  | 'bad-item'
  | 'redirect'
  | 'oversized'
  | 'slow-body';

/** How the server behaves. */
export interface KubeApiServerOptions {
  /** What the cluster holds; a kind left `undefined` is forbidden (403) rather than empty. */
  inventory: KubeInventory;
  /**
   * Which CRD-backed kinds the cluster serves (a snapshot's `servedKinds`). A row not served is not installed:
   * discovery leaves it out and its list path is `404`. A row left out here is served when the inventory has its
   * bucket, and not installed when the bucket is `undefined` (as an offline capture without CRDs reads); set it
   * `true` to serve a kind the identity may not read (`undefined` bucket: `403`).
   */
  served?: ServedKinds;
  /** The accepted bearer token, or a predicate accepting several (a refreshing provider). Default `test-token`. */
  token?: string | ((token: string) => boolean);
  /** Faults by path; several may name the same path (the first one still applying wins). */
  faults?: KubeFault[];
  /** Latency added before every answer, like a distant API server (benchmarks). Default 0. */
  latencyMs?: number;
}

/** One request the server received, for assertions. */
export interface KubeApiRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** True when the request carried an `Authorization: Bearer …` header. */
  hadToken: boolean;
  /** The bearer token sent, for tests that check which token a provider produced. */
  token?: string;
  /** The status the server answered with (0 when the client went away first). */
  status: number;
}

/** A running server. */
export interface KubeApiServer {
  /** `https://127.0.0.1:<port>`. */
  url: string;
  /** The CA that signed the server certificate, PEM. */
  caPem: string;
  /** The same CA base64-encoded, as EKS `certificateAuthority.data` and kubeconfig `certificate-authority-data`. */
  caData: string;
  /** Every request received so far, in arrival order. */
  requests: KubeApiRequest[];
  /** The accepted token when `token` was a string or left out (`test-token`), for building clients. */
  token: string;
  /** Stops the server, dropping open connections and pending delayed answers. */
  close(): Promise<void>;
}

interface ListRoute {
  spec: KindSpec;
  version: string;
}

// Every row of the kinds table at every version it has, except ConfigMaps: the audit reads only the engine ones, by name.
const LIST_ROUTES: ReadonlyMap<string, ListRoute> = new Map(
  KINDS.filter((spec) => spec.bucket !== 'configMaps').flatMap((spec) =>
    spec.versions.map((version): [string, ListRoute] => [listPath(spec, version), { spec, version }]),
  ),
);

const CONFIG_MAP_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/configmaps\/([^/]+)$/;
const DEFAULT_TOKEN = 'test-token';
const REASONS: Readonly<Record<number, string>> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  410: 'Expired',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
};

interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** Starts a server on a free port of 127.0.0.1 with a freshly generated CA and certificate. */
export async function startKubeApiServer(options: KubeApiServerOptions): Promise<KubeApiServer> {
  const certificates = await createTestCertificates();
  const requests: KubeApiRequest[] = [];
  const faultCalls = new Map<KubeFault, number>();
  const timers = new Set<NodeJS.Timeout>();
  const accepts = tokenCheck(options.token ?? DEFAULT_TOKEN);

  const later = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'https://127.0.0.1');
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const entry: KubeApiRequest = {
      method: request.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      hadToken: bearer !== undefined,
      token: bearer,
      status: 0,
    };
    requests.push(entry);
    const fault = activeFault(options.faults ?? [], url.pathname, faultCalls);
    const delay = (options.latencyMs ?? 0) + (fault?.delayMs ?? 0);
    if (delay > 0) await later(delay);
    if (fault?.mode && bearer !== undefined && accepts(bearer)) {
      // The normal answer from the first page: a misbehaving page is built on it whatever token the client sent.
      const { continue: _token, ...firstPage } = entry.query;
      entry.status = await misbehave(fault, route(options.inventory, options.served ?? {}, { ...entry, query: firstPage }), response, later);
      return;
    }
    const answer =
      bearer === undefined || !accepts(bearer)
        ? statusAnswer(401, 'Unauthorized')
        : fault?.status !== undefined
          ? faultAnswer(fault, url.pathname)
          : route(options.inventory, options.served ?? {}, entry);
    if (response.destroyed) return;
    entry.status = answer.status;
    response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    response.end(JSON.stringify(answer.body));
  };

  const server = https.createServer({ key: certificates.keyPem, cert: certificates.certPem }, (request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify(statusAnswer(500, String(error)).body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `https://127.0.0.1:${port}`,
    caPem: certificates.caPem,
    caData: Buffer.from(certificates.caPem).toString('base64'),
    requests,
    token: typeof options.token === 'string' ? options.token : DEFAULT_TOKEN,
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A kubeconfig for `server` as the live audit builds one for an EKS cluster (its CA, a bearer token per request);
 * `token` defaults to a provider of the server's accepted token.
 */
export function kubeConfigFor(server: KubeApiServer, token: () => Promise<string> = async () => server.token): KubeConfig {
  return kubeConfigForEks({ name: 'test-cluster', endpoint: server.url, certificateAuthorityData: server.caData, token });
}

/** An inventory in which every kind of the table was read and is empty: a base for tests that add only what they need. */
/**
 * What discovery says of every CRD-backed row of the kinds table: `others` for each, except the rows `served` names,
 * so a test states only the rows it is about and stays right as rows are added.
 */
export function servedKindsWith(served: ServedKinds, others: boolean): ServedKinds {
  return { ...Object.fromEntries(KINDS.filter((spec) => !spec.builtIn).map((spec) => [spec.bucket, others])), ...served };
}

export function emptyInventory(): KubeInventory {
  return Object.fromEntries(KINDS.map((spec) => [spec.bucket, []])) as KubeInventory;
}

function tokenCheck(token: string | ((token: string) => boolean)): (token: string) => boolean {
  return typeof token === 'string' ? (candidate) => candidate === token : token;
}

/** The first fault of `path` that still applies, counting this request against it. */
function activeFault(faults: readonly KubeFault[], path: string, calls: Map<KubeFault, number>): KubeFault | undefined {
  const fault = faults.find((candidate) => candidate.path === path && (calls.get(candidate) ?? 0) < (candidate.times ?? Infinity));
  if (fault) calls.set(fault, (calls.get(fault) ?? 0) + 1);
  return fault;
}

/** Writes the misbehaving answer of `fault` (the normal answer was `normal`); returns the status sent. */
async function misbehave(fault: KubeFault, normal: Answer, response: ServerResponse, later: (ms: number) => Promise<void>): Promise<number> {
  const body = normal.body as { kind?: string; apiVersion?: string; metadata?: Record<string, unknown>; items?: unknown[] };
  const json = (status: number, value: unknown): number => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(value));
    return status;
  };
  switch (fault.mode) {
    case 'continue-forever':
      return json(200, { ...body, items: [], metadata: { continue: `page-${Math.random().toString(36).slice(2)}` } });
    case 'same-continue':
      return json(200, { ...body, metadata: { continue: 'the-same-token' } });
    case 'wrong-list-kind':
      return json(200, { kind: 'NamespaceList', apiVersion: 'v1', metadata: {}, items: [] });
    case 'wrong-item-kind':
      return json(200, { ...body, items: [...(body.items ?? []), { kind: 'Secret', apiVersion: 'v1', metadata: { name: 'db', namespace: 'shop' } }] });
    case 'bad-item':
      return json(200, { ...body, items: [...(body.items ?? []), { metadata: null }] });
    case 'status-200':
      return json(200, statusAnswer(500, 'etcdserver: request timed out').body);
    case 'html':
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<html><body>Please sign in</body></html>');
      return 200;
    case 'redirect':
      response.writeHead(302, { location: fault.redirectTo ?? '/' });
      response.end();
      return 302;
    case 'cut-body': {
      const text = JSON.stringify(body);
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(text.length * 2) });
      response.write(text);
      await later(20);
      response.socket?.destroy();
      return 200;
    }
    case 'oversized': {
      // A valid list whose one item carries a huge annotation, streamed in 1 MiB chunks as a server would send it.
      const total = fault.bytes ?? 2 ** 20;
      const head = `{"kind":"${body.kind}","apiVersion":"${body.apiVersion}","metadata":{},"items":[{"metadata":{"name":"big","annotations":{"x":"`;
      const tail = '"}}}]}';
      response.writeHead(200, { 'content-type': 'application/json' });
      const chunk = 'x'.repeat(2 ** 20);
      response.write(head);
      for (let sent = head.length + tail.length; sent < total && !response.destroyed; sent += chunk.length) {
        if (!response.write(chunk.slice(0, Math.min(chunk.length, total - sent)))) await new Promise((resolve) => { response.once('drain', resolve); response.once('close', resolve); });
      }
      response.end(tail);
      return 200;
    }
    case 'slow-body': {
      response.writeHead(200, { 'content-type': 'application/json' });
      for (const character of JSON.stringify(body)) {
        if (response.destroyed) break;
        response.write(character);
        await later(1000);
      }
      response.end();
      return 200;
    }
    default:
      return json(500, statusAnswer(500, `unknown fault mode ${String(fault.mode)}`).body);
  }
}

function faultAnswer(fault: KubeFault, path: string): Answer {
  const status = fault.status ?? 500;
  const retryAfter = fault.retryAfterSeconds ?? (status === 429 ? 1 : undefined);
  const answer = statusAnswer(status, fault.message ?? `injected ${status} for ${path}`, retryAfter);
  return retryAfter === undefined ? answer : { ...answer, headers: { 'retry-after': String(retryAfter) } };
}

function route(inventory: KubeInventory, served: ServedKinds, request: KubeApiRequest): Answer {
  if (request.method !== 'GET') return statusAnswer(405, `method ${request.method} is not served`);
  const servedRows = KINDS.filter((spec) => spec.builtIn || (served[spec.bucket] ?? inventory[spec.bucket] !== undefined));
  const discovery = discoveryAnswer(servedRows, request.path);
  if (discovery) return discovery;
  const list = LIST_ROUTES.get(request.path);
  if (list && servedRows.includes(list.spec as (typeof servedRows)[number])) return listAnswer(inventory, list, request.query);
  const configMap = CONFIG_MAP_PATH.exec(request.path);
  if (configMap) return configMapAnswer(inventory, decodeURIComponent(configMap[1] ?? ''), decodeURIComponent(configMap[2] ?? ''));
  return statusAnswer(404, 'the server could not find the requested resource');
}

function listAnswer(inventory: KubeInventory, list: ListRoute, query: Record<string, string>): Answer {
  const { spec, version } = list;
  const objects = inventory[spec.bucket as keyof KubeInventory] as KubeObject[] | undefined;
  if (!objects) {
    return statusAnswer(403, `${spec.plural} is forbidden: User "auditor" cannot list resource "${spec.plural}" in API group "${spec.group}" at the cluster scope`);
  }
  const start = query.continue === undefined ? 0 : continueOffset(query.continue, spec.plural);
  if (start === undefined) return statusAnswer(410, 'the provided continue parameter is too old or malformed');
  const limit = Number(query.limit ?? 0);
  const end = limit > 0 ? Math.min(objects.length, start + limit) : objects.length;
  const remaining = objects.length - end;
  const metadata: Record<string, unknown> = { resourceVersion: '1' };
  if (remaining > 0) {
    metadata.continue = continueToken(spec.plural, end);
    metadata.remainingItemCount = remaining;
  }
  return {
    status: 200,
    body: { kind: `${spec.kind}List`, apiVersion: apiVersionOf(spec, version), metadata, items: objects.slice(start, end).map(listItem) },
  };
}

const CRD_PATH = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

/** The discovery answer for `path` from the rows the cluster serves, or `undefined` when `path` is not discovery. */
function discoveryAnswer(rows: readonly KindSpec[], path: string): Answer | undefined {
  const groups = new Map<string, Set<string>>([['apiextensions.k8s.io', new Set(['v1'])]]);
  for (const spec of rows.filter((row) => row.group !== '')) {
    for (const version of spec.versions) groups.set(spec.group, (groups.get(spec.group) ?? new Set()).add(version));
  }
  if (path === '/api') return { status: 200, body: { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] } };
  if (path === '/apis') {
    const list = [...groups].map(([name, versions]) => {
      const entries = [...versions].map((version) => ({ groupVersion: `${name}/${version}`, version }));
      return { name, versions: entries, preferredVersion: entries[0] };
    });
    return { status: 200, body: { kind: 'APIGroupList', apiVersion: 'v1', groups: list } };
  }
  if (path === CRD_PATH) {
    const items = rows.filter((spec) => !spec.builtIn).map((spec) => ({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `${spec.plural}.${spec.group}` },
      spec: {
        group: spec.group,
        names: { plural: spec.plural, kind: spec.kind },
        scope: spec.namespaced ? 'Namespaced' : 'Cluster',
        versions: spec.versions.map((name, index) => ({ name, served: true, storage: index === 0 })),
      },
    }));
    return { status: 200, body: { kind: 'CustomResourceDefinitionList', apiVersion: 'apiextensions.k8s.io/v1', metadata: {}, items } };
  }
  const groupVersion = /^\/apis\/([^/]+)\/([^/]+)$/.exec(path);
  if (!groupVersion) return undefined;
  const [, group = '', version = ''] = groupVersion;
  if (!groups.get(group)?.has(version)) return statusAnswer(404, 'the server could not find the requested resource');
  const resources = rows
    .filter((spec) => spec.group === group && (spec.versions as readonly string[]).includes(version))
    .map((spec) => ({ name: spec.plural, singularName: '', namespaced: spec.namespaced, kind: spec.kind, verbs: ['get', 'list', 'watch'] }));
  return { status: 200, body: { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: `${group}/${version}`, resources } };
}

/** Lists carry items without `kind` and `apiVersion`, as the real API sends them. */
function listItem(object: KubeObject): Omit<KubeObject, 'kind' | 'apiVersion'> {
  const { kind: _kind, apiVersion: _apiVersion, ...item } = object;
  return item;
}

function configMapAnswer(inventory: KubeInventory, namespace: string, name: string): Answer {
  if (!inventory.configMaps) {
    return statusAnswer(403, `configmaps "${name}" is forbidden: User "auditor" cannot get resource "configmaps" in API group "" in the namespace "${namespace}"`);
  }
  const found = inventory.configMaps.find((item) => item.metadata.namespace === namespace && item.metadata.name === name);
  if (!found) return statusAnswer(404, `configmaps "${name}" not found`);
  return { status: 200, body: { apiVersion: 'v1', ...found, kind: 'ConfigMap' } };
}

// Continue tokens are opaque to clients; this one encodes where the next page starts and which list it belongs to.
function continueToken(resource: string, offset: number): string {
  return Buffer.from(JSON.stringify({ resource, offset })).toString('base64url');
}

function continueOffset(token: string, resource: string): number | undefined {
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { resource?: unknown; offset?: unknown };
    return decoded.resource === resource && typeof decoded.offset === 'number' ? decoded.offset : undefined;
  } catch {
    return undefined;
  }
}

/** The API server's error body: a `Status` object. */
function statusAnswer(code: number, message: string, retryAfterSeconds?: number): Answer {
  return {
    status: code,
    body: {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason: REASONS[code] ?? 'Unknown',
      ...(retryAfterSeconds === undefined ? {} : { details: { retryAfterSeconds } }),
      code,
    },
  };
}
