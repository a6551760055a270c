/**
 * Auditing the cluster of a kubeconfig context: any Kubernetes cluster, EKS or not, reached exactly as kubectl
 * reaches it (client-node runs the context's exec plugin, e.g. `aws eks get-token`, as is). The EKS API is not read,
 * so engine detection relies on in-cluster evidence alone.
 */
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import type { ClusterIdentity } from '../audit/snapshot.js';
import { clusterIdentity } from '../collect/eks-describe.js';
import { collectedSnapshot, collectKubeInventory } from '../collect/kubernetes.js';
import { auditCollected, auditWithinDeadline, type ClusterAudit, type LiveAuditOptions } from './cluster-audit.js';
import { clusterArnParts } from '../names.js';

/** Which kubeconfig and context; both unset means `$KUBECONFIG` (or `~/.kube/config`) and its current context. */
export interface KubeconfigSource {
  kubeconfig?: string;
  context?: string;
  /** Where `KUBECONFIG` is read from. */
  env: Record<string, string | undefined>;
}

/** The kubeconfig or context cannot be used: a usage problem, told in one line naming the file or context. */
export class KubeconfigError extends Error {
  override readonly name = 'KubeconfigError';
}

/**
 * Audits the cluster of the chosen context, within its deadline (`options.deadline`). Throws {@link KubeconfigError} when the kubeconfig cannot be read or the
 * context does not exist; problems reaching or reading the cluster become findings, as for EKS clusters.
 */
export async function auditKubeconfigContext(source: KubeconfigSource, options: LiveAuditOptions): Promise<ClusterAudit> {
  const kubeConfig = loadKubeConfig(source);
  const identity = contextIdentity(kubeConfig);
  return auditWithinDeadline(() => identity, options, async ({ collect }) => {
    const collection = await collectKubeInventory(kubeConfig, {
      ...collect,
      ...(identity.arn ? { clusterName: identity.name, region: identity.region } : {}),
    });
    const snapshot = { cluster: identity, ...collectedSnapshot(collection), problems: collection.problems };
    return auditCollected(snapshot, options, collection.requests);
  });
}

/** The kubeconfig files in the order kubectl merges them: `--kubeconfig`, else each of `$KUBECONFIG`, else the default. */
function kubeconfigFiles(source: KubeconfigSource): string[] {
  if (source.kubeconfig !== undefined) return [source.kubeconfig];
  const fromEnv = (source.env.KUBECONFIG ?? '').split(delimiter).filter((file) => file !== '');
  return fromEnv.length > 0 ? fromEnv : [join(homedir(), '.kube', 'config')];
}

/**
 * The merged kubeconfig with the chosen context current. Throws {@link KubeconfigError} when a file cannot be read,
 * the context does not exist, or it names no cluster with a server URL.
 */
export function loadKubeConfig(source: KubeconfigSource): KubeConfig {
  const files = kubeconfigFiles(source);
  const [first, ...others] = files as [string, ...string[]];
  const merged = readKubeconfig(first);
  for (const file of others) mergeFirstWins(merged, readKubeconfig(file));
  const where = files.join(delimiter);
  if (source.context !== undefined) {
    if (!merged.getContextObject(source.context)) {
      const known = merged.getContexts().map((context) => context.name);
      throw new KubeconfigError(`context "${source.context}" is not in kubeconfig ${where} (contexts: ${known.join(', ') || 'none'})`);
    }
    merged.setCurrentContext(source.context);
  }
  const context = merged.getCurrentContext();
  if (!context) throw new KubeconfigError(`kubeconfig ${where} has no current context: pass --context NAME`);
  if (!merged.getCurrentCluster()?.server) {
    throw new KubeconfigError(`context "${context}" of kubeconfig ${where} names no cluster with a server URL`);
  }
  return merged;
}

/** An EKS cluster (its entry named by ARN) is identified by name, ARN, account and region; any other by the context. */
function contextIdentity(kubeConfig: KubeConfig): ClusterIdentity {
  const clusterName = kubeConfig.getCurrentCluster()?.name ?? '';
  // `aws eks update-kubeconfig` names the cluster entry (and the context) after the cluster's ARN.
  const eksName = clusterArnParts(clusterName)?.name;
  if (eksName) return clusterIdentity({ name: eksName, arn: clusterName }, eksName);
  return { name: kubeConfig.getCurrentContext() };
}

/**
 * kubectl's merge of `$KUBECONFIG` files: the first file to set a current context, and the first entry of each
 * name, win. (client-node's own `mergeConfig` throws on a repeated name, which kubectl accepts.)
 */
function mergeFirstWins(merged: KubeConfig, next: KubeConfig): void {
  if (!merged.getCurrentContext() && next.getCurrentContext()) merged.setCurrentContext(next.getCurrentContext());
  for (const cluster of next.getClusters()) if (!merged.getCluster(cluster.name)) merged.addCluster(cluster);
  for (const user of next.getUsers()) if (!merged.getUser(user.name)) merged.addUser(user);
  for (const context of next.getContexts()) if (!merged.getContextObject(context.name)) merged.addContext(context);
}

function readKubeconfig(file: string): KubeConfig {
  const kubeConfig = new KubeConfig();
  try {
    kubeConfig.loadFromFile(file);
  } catch (error) {
    const detail = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : firstLine(error);
    throw new KubeconfigError(`cannot read kubeconfig ${file}: ${detail}`);
  }
  return kubeConfig;
}

function firstLine(error: unknown): string {
  return ((error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '').trim();
}
