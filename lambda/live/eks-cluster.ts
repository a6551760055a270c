/**
 * Auditing one EKS cluster: what the EKS API says about it, then (when it is ACTIVE and describable) what its
 * Kubernetes API holds, read with an EKS token that is re-signed before it expires, then the checks. Capturing one
 * reads the same.
 */
import type { EKSClient } from '@aws-sdk/client-eks';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { ClusterIdentity, ClusterSnapshot, CollectionProblem } from '../audit/snapshot.js';
import { clusterIdentity, describeClusterForAudit, type EksView } from '../collect/eks.js';
import { EksTokenProvider } from '../collect/eks-token.js';
import { collectedSnapshot, collectKubeInventory, kubeConfigForEks, type KubeCollection } from '../collect/kubernetes.js';
import { auditCollected, type ClusterAudit, type LiveAuditOptions } from './cluster-audit.js';

/** Which cluster to audit and with what: the region's EKS client and the credentials that sign the EKS token. */
export interface EksClusterTarget {
  eks: EKSClient;
  region: string;
  name: string;
  /** The cluster's account when the caller knows it (organization mode), so an undescribable cluster keeps it. */
  accountId?: string;
  credentials: AwsCredentialIdentityProvider | AwsCredentialIdentity;
  /** Told the cluster's full identity (ARN, account) as soon as EKS has described it. */
  described?(cluster: ClusterIdentity): void;
}

/** What reading one EKS cluster gave: its snapshot, and the Kubernetes collection when its API was reached. */
export interface EksClusterCollection {
  snapshot: ClusterSnapshot;
  collection?: KubeCollection;
}

/**
 * Reads EKS cluster `target.name` as the live audit does: DescribeCluster and the vpc-cni add-on, then (when it is
 * ACTIVE and describable) its Kubernetes API with an EKS token that is re-signed before it expires. A cluster that is
 * not ACTIVE, cannot be described or has no endpoint gets the EKS view alone, with a `cluster` problem that says why.
 * Collection problems never throw. `capture --cluster` writes what this reads.
 */
export async function collectEksCluster(target: EksClusterTarget, collect: LiveAuditOptions['collect']): Promise<EksClusterCollection> {
  const view = await describeClusterForAudit(target.eks, target.name);
  const snapshot: ClusterSnapshot = {
    cluster: view.cluster
      ? clusterIdentity(view.cluster, target.region)
      : { name: target.name, region: target.region, ...(target.accountId ? { accountId: target.accountId } : {}) },
    ...(view.cluster ? { eks: view.cluster } : {}),
    ...(view.addons ? { addons: view.addons } : {}),
    kube: {},
    problems: view.problems,
  };
  target.described?.(snapshot.cluster);
  if (!view.endpoint || !view.certificateAuthorityData || view.problems.some((problem) => problem.kind === 'cluster')) {
    return { snapshot: { ...snapshot, problems: unreachableProblems(view) } };
  }

  const tokens = new EksTokenProvider({ clusterName: target.name, region: target.region, credentials: target.credentials });
  const kubeConfig = kubeConfigForEks({
    name: target.name,
    endpoint: view.endpoint as string,
    certificateAuthorityData: view.certificateAuthorityData as string,
    token: () => tokens.token(),
  });
  const collection = await collectKubeInventory(kubeConfig, {
    ...collect,
    authenticationMode: view.cluster?.accessConfig?.authenticationMode,
    clusterName: target.name,
    region: target.region,
  });
  return { snapshot: { ...snapshot, ...collectedSnapshot(collection), problems: [...view.problems, ...collection.problems] }, collection };
}

/**
 * Audits EKS cluster `target.name` from what {@link collectEksCluster} reads. Only a programming error throws (the
 * caller turns it into the cluster's UNKNOWN findings).
 */
export async function auditEksCluster(target: EksClusterTarget, options: LiveAuditOptions): Promise<ClusterAudit> {
  const { snapshot, collection } = await collectEksCluster(target, options.collect);
  return auditCollected(snapshot, options, collection?.requests);
}

/**
 * The problems of a cluster whose Kubernetes API is not read: the EKS view's own, plus, when none of them already
 * says why, that DescribeCluster gave no endpoint or CA (an ACTIVE cluster without them cannot be reached).
 */
function unreachableProblems(view: EksView): CollectionProblem[] {
  if (view.problems.some((problem) => problem.kind === 'cluster')) return view.problems;
  return [...view.problems, {
    kind: 'cluster',
    reason: 'eks:DescribeCluster returned no API server endpoint or certificate authority: the Kubernetes API cannot be reached',
    remediation: 'Check the cluster in the EKS console; the next run audits it once DescribeCluster reports its endpoint.',
  }];
}
