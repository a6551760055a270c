/**
 * Kubernetes collection over the real API: API discovery decides which of the kinds table's CRD-backed rows the
 * cluster serves, then every served kind is read with cluster-wide paginated lists by path
 * (`/apis/<group>/<version>/<plural>?limit=…&continue=…`), and the engine ConfigMaps by name. Each request has a
 * deadline, a body limit and bounded retries (kube-http.ts, kube-retry.ts); every answer is validated before it is
 * believed; every failure becomes a {@link CollectionProblem} rather than a throw. Objects are kept as the API server
 * sent them (raw JSON, with `kind` and `apiVersion` restored on list items) and sorted into the same inventory the
 * offline loader builds.
 *
 * client-node is used for the kubeconfig and its credentials only (CA, client certificate, token, exec plugin,
 * proxy): its generated clients deserialised every page into typed models that the collector then threw away for
 * the raw JSON, and its fetch layer could neither bound a body as it streams nor refuse a redirect to another origin.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { apiVersionOf, KINDS, listPath, resourceName, type KindBucket, type KindRow } from '../audit/kinds.js';
import type {
  ClusterSnapshot,
  CollectionProblem,
  InventoryKind as ProblemKind,
  KubeInventory,
  KubeObject,
  ServedKinds,
  SkippedObject,
} from '../audit/snapshot.js';
import { ApiDiscovery, DISCOVERY_KINDS } from './api-discovery.js';
import { DEFAULT_MAX_BODY_MIB, mebibytes } from './body-limit.js';
import { FailureType, KubeHttpError } from './kube-errors.js';
import { KubeHttp } from './kube-http.js';
import { objectLabel } from './kube-input.js';
import { ENGINE_CONFIG_MAP_REFS, InventoryBuilder, type ConfigMapRef } from './kube-objects.js';
import { clusterProblem, isClusterWide, kindProblem, type AccessTarget } from './kube-problems.js';
import { KubeRequestError, withRetries, type RetryPolicy } from './kube-retry.js';
import { isRecord, objectProblem } from './object-problems.js';

export { kubeConfigForEks, type EksKubeConfigInput } from './kube-eks-config.js';

/** How to collect; every field is optional. */
export interface KubeCollectOptions {
  /** Objects per list page (`limit`). Default 500. */
  pageSize?: number;
  /** Deadline of one request, body included. Default 20 000 ms. */
  timeoutMs?: number;
  /** Retries after the first attempt on 429, 5xx, timeouts, lost connections and cut bodies. Default 4. */
  maxRetries?: number;
  /** The largest answer read; a larger one is abandoned as it streams in and its kind is UNKNOWN. Default 64 MiB (body-limit.ts). */
  maxBodyBytes?: number;
  /** The most objects of one kind read; more (or more pages than they take) make the kind UNKNOWN. Default 500 000. */
  maxObjectsPerKind?: number;
  /** EKS `accessConfig.authenticationMode` (`API`, `API_AND_CONFIG_MAP`, `CONFIG_MAP`), for remediation text. */
  authenticationMode?: string;
  /** The EKS cluster name, for remediation commands. Leave out for a non-EKS kubeconfig context. */
  clusterName?: string;
  region?: string;
  /** The caller's role, for remediation commands. */
  roleArn?: string;
  /** How to wait between attempts; tests pass one that records and returns at once. */
  sleep?: (ms: number) => Promise<void>;
  /** Aborts the collection (the cluster's deadline): requests in flight are cancelled, no retry or page follows. */
  signal?: AbortSignal;
}

/** What was read, what could not be, and how many HTTP requests it took (retries included). */
export interface KubeCollection {
  kube: KubeInventory;
  /** What discovery (and lists answered 404) said about the CRD-backed kinds. */
  servedKinds: ServedKinds;
  problems: CollectionProblem[];
  /** List items that could not be read (wrong shape): skipped, and the audit is incomplete. */
  skipped: SkippedObject[];
  requests: number;
}

const DEFAULTS = { pageSize: 500, timeoutMs: 20_000, maxRetries: 4, maxBodyBytes: mebibytes(DEFAULT_MAX_BODY_MIB), maxObjectsPerKind: 500_000 } as const;

/** Every row but ConfigMaps is listed; only the engine ConfigMaps are read, by name (their data can be sensitive). */
const LISTED_KINDS: readonly KindRow[] = KINDS.filter((spec) => spec.bucket !== 'configMaps');

/** The order problems are reported in, whatever order the concurrent reads finished in. */
const PROBLEM_ORDER: readonly ProblemKind[] = KINDS.map((spec) => spec.bucket);

/** The parts of a snapshot that a collection provides. */
export function collectedSnapshot(collection: KubeCollection): Pick<ClusterSnapshot, 'kube' | 'servedKinds' | 'skipped'> {
  return { kube: collection.kube, servedKinds: collection.servedKinds, skipped: collection.skipped };
}

/**
 * Reads the inventory of the current cluster of `kubeConfig`. Namespaces are listed first: if that shows the API
 * cannot be used at all (401, unreachable, TLS failure, retries exhausted), nothing else is requested and the result
 * is one `cluster` problem with an empty inventory. Otherwise every other kind is read concurrently; a kind the API
 * refuses (403) or answers badly stays `undefined` with a problem naming it, and the others are still read; a CRD
 * the cluster does not serve is `[]`. A cluster-wide failure met later still voids the whole inventory: the audit
 * must not judge a cluster on part of what it holds.
 *
 * Throws only for programming errors, or when `kubeConfig` has no current cluster.
 */
export async function collectKubeInventory(kubeConfig: KubeConfig, options: KubeCollectOptions = {}): Promise<KubeCollection> {
  const server = kubeConfig.getCurrentCluster()?.server;
  if (!server) throw new Error('the kubeconfig has no current cluster: nothing to collect from');
  const http = new KubeHttp(kubeConfig, server, {
    timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULTS.maxBodyBytes,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return new Collector(http, server, options).collect();
}

/** One collection's state: the inventory being built, the problems met, and the first cluster-wide failure. */
class Collector {
  private readonly inventory = new InventoryBuilder();
  private readonly problems: CollectionProblem[] = [];
  private readonly served: ServedKinds = {};
  private clusterFailure: CollectionProblem | undefined;
  private readonly retry: RetryPolicy;
  private readonly target: AccessTarget;
  private readonly pageSize: number;
  private readonly maxObjects: number;
  private readonly signal: AbortSignal | undefined;

  constructor(
    private readonly http: KubeHttp,
    private readonly server: string,
    options: KubeCollectOptions,
  ) {
    this.retry = { maxRetries: options.maxRetries ?? DEFAULTS.maxRetries, sleep: options.sleep ?? sleep, signal: options.signal };
    this.signal = options.signal;
    const { authenticationMode, clusterName, region, roleArn } = options;
    this.target = { authenticationMode, clusterName, region, roleArn };
    this.pageSize = options.pageSize ?? DEFAULTS.pageSize;
    this.maxObjects = options.maxObjectsPerKind ?? DEFAULTS.maxObjectsPerKind;
  }

  async collect(): Promise<KubeCollection> {
    const [probe, ...others] = LISTED_KINDS as [KindRow, ...KindRow[]];
    await this.readList(probe, probe.versions[0]);
    if (!this.clusterFailure) {
      const builtIn = others.filter((spec) => spec.builtIn);
      await Promise.all([...builtIn.map((spec) => this.readList(spec, spec.versions[0])), this.readConfigMaps(), this.readCustomKinds()]);
    }
    const requests = this.http.requests;
    if (this.clusterFailure) return { kube: {}, servedKinds: {}, problems: [this.clusterFailure], skipped: [], requests };
    const problems = [...this.problems].sort((a, b) => PROBLEM_ORDER.indexOf(a.kind) - PROBLEM_ORDER.indexOf(b.kind));
    return { kube: this.inventory.build(), servedKinds: this.served, problems, skipped: this.inventory.skipped(), requests };
  }

  /**
   * The CRD-backed kinds: discovery says which are served and at which version; those not served are `[]`. When
   * discovery itself cannot be read, each kind is listed at its preferred version and a 404 means not served.
   */
  private async readCustomKinds(): Promise<void> {
    const custom = LISTED_KINDS.filter((spec) => !spec.builtIn);
    const discovery = await this.discover(custom);
    await Promise.all(
      custom.map((spec) => {
        const version = discovery ? discovery.servedVersion(spec) : spec.versions[0];
        if (version === null) return this.notServed(spec);
        if (version === undefined) return this.readList(spec, spec.versions[0]);
        if (discovery) this.served[spec.bucket] = true;
        return this.readList(spec, version);
      }),
    );
  }

  /** `/apis`, then the resource list of each group version of `specs` it names; `undefined` when it cannot be read. */
  private async discover(specs: readonly KindRow[]): Promise<ApiDiscovery | undefined> {
    const discovery = new ApiDiscovery();
    try {
      const groups = await this.request(() => this.http.getJson('/apis'));
      if (!isRecord(groups) || groups.kind !== DISCOVERY_KINDS.groupList || !discovery.addGroupList(groups)) return undefined;
      const groupVersions = new Set(specs.flatMap((spec) => spec.versions.map((version) => apiVersionOf(spec, version))));
      const offered = [...groupVersions].filter((groupVersion) => discovery.offersGroupVersion(groupVersion));
      await Promise.all(offered.map((groupVersion) => this.discoverResources(discovery, groupVersion)));
      return discovery;
    } catch (error) {
      const failure = this.failureOf(error);
      if (failure && isClusterWide(failure.failure)) this.recordClusterFailure(failure, 'read API discovery (/apis)');
      return undefined;
    }
  }

  /** The resources of one group version; a group version that vanished since `/apis` (404) serves none. */
  private async discoverResources(discovery: ApiDiscovery, groupVersion: string): Promise<void> {
    try {
      const resources = await this.request(() => this.http.getJson(`/apis/${groupVersion}`));
      if (isRecord(resources) && resources.kind === DISCOVERY_KINDS.resourceList && discovery.addResourceList(resources)) return;
      throw new KubeHttpError({ type: FailureType.Invalid, detail: `the answer to GET /apis/${groupVersion} is not an APIResourceList` });
    } catch (error) {
      if (isNotFound(error)) discovery.addResourceList({ groupVersion, resources: [] });
      else throw error;
    }
  }

  private notServed(spec: KindRow): void {
    this.served[spec.bucket] = false;
    this.inventory.markRead(spec.bucket);
  }

  /**
   * Every page of one cluster-wide list; the kind counts as read only once its last page has arrived. A 410 Gone
   * (the continue token expired while paging) restarts the list once from the start.
   */
  private async readList(spec: KindRow, version: string): Promise<void> {
    const operation = `list ${resourceName(spec)} at cluster scope`;
    for (let restarts = 0; ; restarts += 1) {
      try {
        const pages = await this.readPages(spec, version);
        if (pages === undefined) return;
        this.add(spec.bucket, pages.objects);
        for (const skipped of pages.skipped) this.inventory.skip(skipped);
        if (!spec.builtIn) this.served[spec.bucket] = true;
        return;
      } catch (error) {
        if (isGone(error) && restarts === 0) continue;
        if (!spec.builtIn && isNotFound(error)) return this.notServed(spec);
        this.fail(spec.bucket, operation, error, isGone(error) ? 'the list expired (410 Gone) twice while paging' : undefined);
        return;
      }
    }
  }

  /** The pages of one list, validated; `undefined` when a cluster-wide failure elsewhere made the read pointless. */
  private async readPages(spec: KindRow, version: string): Promise<{ objects: KubeObject[]; skipped: SkippedObject[] } | undefined> {
    const path = listPath(spec, version);
    const apiVersion = apiVersionOf(spec, version);
    const maxPages = Math.ceil(this.maxObjects / this.pageSize) + 1;
    const tokens = new Set<string>();
    const objects: KubeObject[] = [];
    const skipped: SkippedObject[] = [];
    let next: string | undefined;
    for (let page = 1; ; page += 1) {
      if (this.clusterFailure || this.signal?.aborted) return undefined;
      if (page > maxPages) throw invalid(`the list did not end within ${maxPages} pages (${this.maxObjects} objects at ${this.pageSize} a page)`);
      const body = await this.request(() => this.http.getJson(path, { limit: String(this.pageSize), continue: next }));
      const list = validatedList(spec, apiVersion, body);
      list.items.forEach((item, index) => {
        const object = { apiVersion, kind: spec.kind, ...item };
        const problem = objectProblem(spec, object);
        const place = `GET ${path} page ${page} items[${index}]`;
        if (problem) skipped.push({ place, object: objectLabel(object, spec.kind), reason: problem });
        else objects.push(object as unknown as KubeObject);
      });
      if (objects.length > this.maxObjects) throw invalid(`more than ${this.maxObjects} objects, the bound of one kind`);
      next = list.continue;
      if (next === undefined) return { objects, skipped };
      if (tokens.has(next)) throw invalid(`the API server sent the continue token of an earlier page again (page ${page}): the list would never end`);
      tokens.add(next);
    }
  }

  /** The engine ConfigMaps by name; absent ones (404) are simply not there, and the kind still counts as read. */
  private async readConfigMaps(): Promise<void> {
    const spec = KINDS.find((row) => row.bucket === 'configMaps') as KindRow;
    const outcomes = await Promise.all(ENGINE_CONFIG_MAP_REFS.map((ref) => this.readConfigMap(spec, ref)));
    const failed = outcomes.find((outcome) => outcome.error !== undefined && !isNotFound(outcome.error));
    if (failed) {
      this.fail('configMaps', `get configmaps in namespace ${failed.ref.namespace}`, failed.error);
      return;
    }
    this.add('configMaps', outcomes.flatMap((outcome) => (outcome.object ? [outcome.object] : [])));
  }

  private async readConfigMap(spec: KindRow, ref: ConfigMapRef): Promise<{ ref: ConfigMapRef; object?: KubeObject; error?: unknown }> {
    const path = `/api/v1/namespaces/${encodeURIComponent(ref.namespace)}/configmaps/${encodeURIComponent(ref.name)}`;
    try {
      const body = await this.request(() => this.http.getJson(path));
      if (!isRecord(body) || body.kind !== spec.kind || !isRecord(body.metadata) || body.metadata.name !== ref.name) {
        throw invalid(`the answer to GET ${path} is ${describeAnswer(body)}, not the ConfigMap ${ref.namespace}/${ref.name}`);
      }
      const problem = objectProblem(spec, body);
      if (problem) {
        this.inventory.skip({ place: `GET ${path}`, object: objectLabel(body, spec.kind), reason: problem });
        return { ref };
      }
      return { ref, object: body as unknown as KubeObject };
    } catch (error) {
      return { ref, error };
    }
  }

  private request<T>(call: () => Promise<T>): Promise<T> {
    return withRetries(call, this.retry);
  }

  private add(bucket: KindBucket, objects: KubeObject[]): void {
    this.inventory.markRead(bucket);
    for (const object of objects) this.inventory.add(bucket, object);
  }

  private fail(kind: ProblemKind, operation: string, error: unknown, reason?: string): void {
    const failed = this.failureOf(error);
    if (!failed) throw error;
    if (isClusterWide(failed.failure)) {
      this.recordClusterFailure(failed, operation);
    } else {
      const problem = kindProblem(kind, failed.failure, operation, this.target);
      this.problems.push(reason ? { ...problem, reason: `${problem.reason} (${reason})` } : problem);
    }
  }

  private recordClusterFailure({ failure, attempts }: KubeRequestError, operation: string): void {
    const request = { server: this.server, operation, attempts, timeoutMs: this.http.limit.timeoutMs };
    this.clusterFailure ??= clusterProblem(failure, request, this.target);
  }

  /** The request failure behind `error`; `undefined` for anything else (a programming error, rethrown). */
  private failureOf(error: unknown): KubeRequestError | undefined {
    return error instanceof KubeRequestError ? error : undefined;
  }
}

/**
 * A list answer checked before it is believed: a `…List` of the kind asked for, at the version asked for, with
 * `items` a list of objects whose own `kind`/`apiVersion`, when present, are the list's. Anything else (a `Status`
 * with code 200, a NamespaceList on the pods path, an item of another kind) makes the kind UNKNOWN.
 */
function validatedList(spec: KindRow, apiVersion: string, body: unknown): { items: Array<Record<string, unknown>>; continue?: string } {
  const expected = `${spec.kind}List`;
  if (!isRecord(body) || body.kind !== expected || body.apiVersion !== apiVersion) {
    throw invalid(`the API server answered ${describeAnswer(body)} instead of a ${expected} (${apiVersion})`);
  }
  if (!Array.isArray(body.items)) throw invalid(`the ${expected} has no items list`);
  const items = body.items as unknown[];
  const stranger = items.findIndex(
    (item) => !isRecord(item) || (item.kind !== undefined && item.kind !== spec.kind) || (item.apiVersion !== undefined && item.apiVersion !== apiVersion),
  );
  if (stranger >= 0) {
    const item = items[stranger];
    throw invalid(`items[${stranger}] of the ${expected} is ${isRecord(item) ? `a ${String(item.kind)} (${String(item.apiVersion)})` : 'not an object'}, not a ${spec.kind}`);
  }
  const metadata = isRecord(body.metadata) ? body.metadata : {};
  const token = typeof metadata.continue === 'string' && metadata.continue !== '' ? metadata.continue : undefined;
  return { items: items as Array<Record<string, unknown>>, ...(token === undefined ? {} : { continue: token }) };
}

/** What an answer was, in a few words: `a Status (Failure: …)`, `a NamespaceList (v1)`, `not an object`. */
function describeAnswer(body: unknown): string {
  if (!isRecord(body)) return Array.isArray(body) ? 'a JSON array' : 'not an object';
  if (body.kind === 'Status') return `a Status (${String(body.status ?? 'no status')}: ${String(body.message ?? 'no message')})`;
  return typeof body.kind === 'string' ? `a ${body.kind} (${String(body.apiVersion)})` : 'an object without kind';
}

function invalid(detail: string): KubeRequestError {
  return new KubeRequestError({ type: FailureType.Invalid, detail }, 1);
}

function isNotFound(error: unknown): boolean {
  return error instanceof KubeRequestError && error.failure.type === FailureType.NotFound;
}

function isGone(error: unknown): boolean {
  return error instanceof KubeRequestError && error.failure.status === 410;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
