/**
 * Kubernetes collection over the real API with client-node: cluster-wide paginated lists of every kind the audit
 * reads and the engine ConfigMaps by name, each request with a timeout and bounded retries, every failure mapped to
 * a {@link CollectionProblem} rather than thrown. Objects are kept as the API server sent them (raw JSON, with
 * `kind` and `apiVersion` restored on list items) and sorted into the same inventory the offline loader builds.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type { CollectionProblem, InventoryKind as ProblemKind, KubeInventory, KubeObject } from '../audit/snapshot.js';
import {
  LIST_RESOURCES,
  createKubeApis,
  rawJson,
  readConfigMap,
  type KubeApis,
  type ListResource,
} from './kube-apis.js';
import { FailureType } from './kube-errors.js';
import type { KindBucket } from '../audit/kinds.js';
import { ENGINE_CONFIG_MAP_REFS, InventoryBuilder } from './kube-objects.js';
import { clusterProblem, isClusterWide, kindProblem, type AccessTarget } from './kube-problems.js';
import { KubeRequestError, withRetries, type RetryPolicy } from './kube-retry.js';
import { createKubeTransport, type KubeTransport } from './kube-transport.js';

export { kubeConfigForEks, type EksKubeConfigInput } from './kube-eks-config.js';

/** How to collect; every field is optional. */
export interface KubeCollectOptions {
  /** Objects per list page (`limit`). Default 500. */
  pageSize?: number;
  /** Deadline of one request, body included. Default 20 000 ms. */
  timeoutMs?: number;
  /** Retries after the first attempt on 429, 5xx, timeouts and lost connections. Default 4. */
  maxRetries?: number;
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
  problems: CollectionProblem[];
  requests: number;
}

const DEFAULTS = { pageSize: 500, timeoutMs: 20_000, maxRetries: 4 } as const;

/** The order problems are reported in, whatever order the concurrent reads finished in. */
const PROBLEM_ORDER: readonly ProblemKind[] = [
  ...LIST_RESOURCES.map((resource) => resource.bucket),
  'configMaps',
];

/**
 * Reads the inventory of the current cluster of `kubeConfig`. Namespaces are listed first: if that shows the API
 * cannot be used at all (401, unreachable, TLS failure, retries exhausted), nothing else is requested and the result
 * is one `cluster` problem with an empty inventory. Otherwise every other kind is read concurrently; a kind the API
 * refuses (403) stays `undefined` with a problem naming it, and the others are still read. A cluster-wide failure
 * met later still voids the whole inventory: the audit must not judge a cluster on part of what it holds.
 *
 * Throws only for programming errors, or when `kubeConfig` has no current cluster.
 */
export async function collectKubeInventory(kubeConfig: KubeConfig, options: KubeCollectOptions = {}): Promise<KubeCollection> {
  const server = kubeConfig.getCurrentCluster()?.server;
  if (!server) throw new Error('the kubeconfig has no current cluster: nothing to collect from');
  const transport = createKubeTransport(options.timeoutMs ?? DEFAULTS.timeoutMs, options.signal);
  const collector = new Collector(createKubeApis(kubeConfig, server, transport.httpApi), transport, server, options);
  return collector.collect();
}

/** One collection's state: the inventory being built, the problems met, and the first cluster-wide failure. */
class Collector {
  private readonly inventory = new InventoryBuilder();
  private readonly problems: CollectionProblem[] = [];
  private clusterFailure: CollectionProblem | undefined;
  private readonly retry: RetryPolicy;
  private readonly target: AccessTarget;

  constructor(
    private readonly apis: KubeApis,
    private readonly transport: KubeTransport,
    private readonly server: string,
    private readonly options: KubeCollectOptions,
  ) {
    this.retry = { maxRetries: options.maxRetries ?? DEFAULTS.maxRetries, sleep: options.sleep ?? sleep, signal: options.signal };
    const { authenticationMode, clusterName, region, roleArn } = options;
    this.target = { authenticationMode, clusterName, region, roleArn };
  }

  async collect(): Promise<KubeCollection> {
    const [probe, ...others] = LIST_RESOURCES as [ListResource, ...ListResource[]];
    await this.readList(probe);
    if (!this.clusterFailure) await Promise.all([...others.map((resource) => this.readList(resource)), this.readConfigMaps()]);
    if (this.clusterFailure) return { kube: {}, problems: [this.clusterFailure], requests: this.transport.requests };
    const problems = [...this.problems].sort((a, b) => PROBLEM_ORDER.indexOf(a.kind) - PROBLEM_ORDER.indexOf(b.kind));
    return { kube: this.inventory.build(), problems, requests: this.transport.requests };
  }

  /** Every page of one cluster-wide list; the kind counts as read only once its last page has arrived. */
  private async readList(resource: ListResource): Promise<void> {
    const operation = `list ${resource.resource} at cluster scope`;
    const objects: KubeObject[] = [];
    let next: string | undefined;
    try {
      do {
        if (this.clusterFailure || this.options.signal?.aborted) return;
        const page = { limit: this.options.pageSize ?? DEFAULTS.pageSize, _continue: next };
        const list = (await rawJson(await this.request(() => resource.list(this.apis, page)))) as RawList;
        for (const item of list.items ?? []) objects.push({ apiVersion: resource.apiVersion, kind: resource.kind, ...item } as KubeObject);
        next = list.metadata?.continue || undefined;
      } while (next);
    } catch (error) {
      this.fail(resource.bucket, operation, error);
      return;
    }
    this.add(resource.bucket, objects);
  }

  /** The engine ConfigMaps by name; absent ones (404) are simply not there, and the kind still counts as read. */
  private async readConfigMaps(): Promise<void> {
    const outcomes = await Promise.all(
      ENGINE_CONFIG_MAP_REFS.map(async (ref) => {
        try {
          const object = (await rawJson(await this.request(() => readConfigMap(this.apis, ref)))) as KubeObject;
          return { ref, object: { ...object, kind: 'ConfigMap' } as KubeObject };
        } catch (error) {
          return { ref, error };
        }
      }),
    );
    const failed = outcomes.find((outcome) => outcome.object === undefined && !isNotFound(outcome.error));
    if (failed) {
      this.fail('configMaps', `get configmaps in namespace ${failed.ref.namespace}`, failed.error);
      return;
    }
    this.add('configMaps', outcomes.flatMap((outcome) => (outcome.object ? [outcome.object] : [])));
  }

  private request<T>(call: () => Promise<T>): Promise<T> {
    return withRetries(call, this.retry);
  }

  private add(bucket: KindBucket, objects: KubeObject[]): void {
    this.inventory.markRead(bucket);
    for (const object of objects) this.inventory.add(bucket, object);
  }

  private fail(kind: ProblemKind, operation: string, error: unknown): void {
    if (!(error instanceof KubeRequestError)) throw error;
    const { failure, attempts } = error;
    if (isClusterWide(failure)) {
      const request = { server: this.server, operation, attempts, timeoutMs: this.options.timeoutMs ?? DEFAULTS.timeoutMs };
      this.clusterFailure ??= clusterProblem(failure, request, this.target);
    } else {
      this.problems.push(kindProblem(kind, failure, operation, this.target));
    }
  }
}

function isNotFound(error: unknown): boolean {
  return error instanceof KubeRequestError && error.failure.type === FailureType.NotFound;
}

/** The part of a list answer the collector reads. */
interface RawList {
  metadata?: { continue?: string };
  items?: Array<Record<string, unknown>>;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
