/**
 * Shared pieces of the live-audit tests: a cluster inventory whose audit passes every check (served by the
 * Kubernetes API test server), EKS DescribeCluster answers pointing at such servers, and the test credentials.
 */
import type { Cluster } from '@aws-sdk/client-eks';
import type { KubeInventory } from '../../lambda/audit/snapshot.js';
import { loadOfflineSnapshot } from '../../lambda/collect/offline.js';
import { CASES_DIR, caseSources } from '../support/cases.js';
import { startKubeApiServer, type KubeApiServer, type KubeFault } from '../support/kube-api-server.js';

/** Dummy credentials: they sign EKS tokens that only the local test servers ever see. */
export const TEST_CREDENTIALS = { accessKeyId: 'AKIDLIVETEST', secretAccessKey: 'live-test-secret-key' } as const;

export const ACCOUNT = '123456789012';

/** The inventory of a cluster that passes every check (VPC CNI enforcing, one covered namespace), nodes included. */
export async function passingInventory(): Promise<KubeInventory> {
  const snapshot = await loadOfflineSnapshot(caseSources(`${CASES_DIR}/vpc-cni-in-cluster-enforcing-all-pass`), () => undefined);
  return { ...snapshot.kube, nodes: [] };
}

/** True for what a live audit sends: an EKS token (`k8s-aws-v1.` + a presigned STS URL). */
export function isEksToken(token: string): boolean {
  return token.startsWith('k8s-aws-v1.') && Buffer.from(token.slice('k8s-aws-v1.'.length), 'base64url').toString().includes('Action=GetCallerIdentity');
}

/** A Kubernetes API server holding `inventory` that accepts EKS tokens, with optional faults. */
export function startEksApiServer(inventory: KubeInventory, faults: KubeFault[] = []): Promise<KubeApiServer> {
  return startKubeApiServer({ inventory, token: isEksToken, faults });
}

/** DescribeCluster's `cluster` for an ACTIVE cluster whose API is `server`. */
export function describedCluster(name: string, region: string, server: KubeApiServer, status: Cluster['status'] = 'ACTIVE'): Cluster {
  return {
    name,
    arn: `arn:aws:eks:${region}:${ACCOUNT}:cluster/${name}`,
    status,
    version: '1.31',
    endpoint: server.url,
    certificateAuthority: { data: server.caData },
    accessConfig: { authenticationMode: 'API' },
  };
}

/** Collection settings that keep failing clusters fast: one retry, no waiting. */
export const FAST_COLLECT = { maxRetries: 1, timeoutMs: 5_000, sleep: async () => undefined } as const;
