/**
 * The Kubernetes reads the audit makes, over client-node's generated API clients: which cluster-wide lists, which
 * ConfigMaps by name, and how each is requested. Lists are cluster-wide so that the number of requests depends on
 * the number of objects (pages), never on the number of namespaces.
 */
import {
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  CustomObjectsApi,
  NetworkingV1Api,
  ServerConfiguration,
  createConfiguration,
  type HttpInfo,
  type HttpLibrary,
  type KubeConfig,
  type RequestContext,
  type SecurityAuthentication,
} from '@kubernetes/client-node';
import { KubeCredentialsError, redactSecrets } from './kube-errors.js';
import { apiVersionOf, KINDS, type KindBucket } from '../audit/kinds.js';
import type { ConfigMapRef } from './kube-objects.js';

/** The API groups the audit reads from, bound to one cluster. */
export interface KubeApis {
  core: CoreV1Api;
  apps: AppsV1Api;
  batch: BatchV1Api;
  networking: NetworkingV1Api;
  custom: CustomObjectsApi;
}

/** One page of a list: at most `limit` objects, starting where `_continue` (client-node's name for it) says. */
export interface PageRequest {
  limit: number;
  _continue?: string;
}

/** A kind the audit lists at cluster scope. */
export interface ListResource {
  /** The inventory bucket of the kind listed (its row in the kinds table). */
  bucket: KindBucket;
  kind: string;
  /** Set on every item: list items come without `apiVersion` and `kind`. */
  apiVersion: string;
  /** `plural.group` as RBAC and `kubectl auth can-i` name it. */
  resource: string;
  list(apis: KubeApis, page: PageRequest): Promise<HttpInfo<unknown>>;
}

/** Every cluster-wide list, namespaces first: that one request also tells whether the API can be used at all. */
export const LIST_RESOURCES: readonly ListResource[] = [
  {
    bucket: 'namespaces',
    kind: 'Namespace',
    apiVersion: 'v1',
    resource: 'namespaces',
    list: (apis, page) => apis.core.listNamespaceWithHttpInfo(page),
  },
  {
    bucket: 'pods',
    kind: 'Pod',
    apiVersion: 'v1',
    resource: 'pods',
    list: (apis, page) => apis.core.listPodForAllNamespacesWithHttpInfo(page),
  },
  {
    bucket: 'networkPolicies',
    kind: 'NetworkPolicy',
    apiVersion: 'networking.k8s.io/v1',
    resource: 'networkpolicies.networking.k8s.io',
    list: (apis, page) => apis.networking.listNetworkPolicyForAllNamespacesWithHttpInfo(page),
  },
  {
    bucket: 'daemonSets',
    kind: 'DaemonSet',
    apiVersion: 'apps/v1',
    resource: 'daemonsets.apps',
    list: (apis, page) => apis.apps.listDaemonSetForAllNamespacesWithHttpInfo(page),
  },
  {
    bucket: 'replicaSets',
    kind: 'ReplicaSet',
    apiVersion: 'apps/v1',
    resource: 'replicasets.apps',
    list: (apis, page) => apis.apps.listReplicaSetForAllNamespacesWithHttpInfo(page),
  },
  {
    bucket: 'jobs',
    kind: 'Job',
    apiVersion: 'batch/v1',
    resource: 'jobs.batch',
    list: (apis, page) => apis.batch.listJobForAllNamespacesWithHttpInfo(page),
  },
  {
    bucket: 'nodes',
    kind: 'Node',
    apiVersion: 'v1',
    resource: 'nodes',
    list: (apis, page) => apis.core.listNodeWithHttpInfo(page),
  },
  // The CRD-backed rows of the kinds table, by group, version and plural.
  ...KINDS.filter((spec) => !spec.builtIn).map(
    (spec): ListResource => ({
      bucket: spec.bucket,
      kind: spec.kind,
      apiVersion: apiVersionOf(spec),
      resource: `${spec.plural}.${spec.group}`,
      list: (apis, page) =>
        apis.custom.listClusterCustomObjectWithHttpInfo({ group: spec.group, version: spec.versions[0], plural: spec.plural, ...page }),
    }),
  ),
];

/** Reads one ConfigMap by name (the engine ConfigMaps: `ENGINE_CONFIG_MAP_REFS` of kube-objects.ts). */
export function readConfigMap(apis: KubeApis, ref: ConfigMapRef): Promise<HttpInfo<unknown>> {
  return apis.core.readNamespacedConfigMapWithHttpInfo(ref);
}

/** The raw JSON of an answer, as the API server sent it (client-node's typed copy turns timestamps into Dates). */
export async function rawJson(info: HttpInfo<unknown>): Promise<unknown> {
  return JSON.parse(await info.body.text()) as unknown;
}

/**
 * API clients for the current cluster of `kubeConfig`, sending through `httpApi`. The kubeconfig applies its
 * credentials to every request (token providers, exec plugins, client certificates, the cluster CA); a failure of
 * that step is marked as a credentials failure, with anything secret-looking removed from its message.
 */
export function createKubeApis(kubeConfig: KubeConfig, server: string, httpApi: HttpLibrary): KubeApis {
  const credentials: SecurityAuthentication = {
    getName: () => kubeConfig.getName(),
    applySecurityAuthentication: async (context: RequestContext) => {
      try {
        await kubeConfig.applySecurityAuthentication(context);
      } catch (error) {
        throw new KubeCredentialsError(redactSecrets(error instanceof Error ? error.message : String(error)));
      }
    },
  };
  const configuration = createConfiguration({
    baseServer: new ServerConfiguration(server, {}),
    authMethods: { default: credentials },
    httpApi,
  });
  return {
    core: new CoreV1Api(configuration),
    apps: new AppsV1Api(configuration),
    batch: new BatchV1Api(configuration),
    networking: new NetworkingV1Api(configuration),
    custom: new CustomObjectsApi(configuration),
  };
}
