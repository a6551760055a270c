/**
 * Auditing many EKS clusters across regions with bounded concurrency. Clusters fail independently: a cluster whose
 * audit fails, even by throwing, yields UNKNOWN findings and a failed-cluster entry while the others are audited
 * normally. The same code serves the Lambda handler and the command line; the AWS clients are passed in.
 */
import type { EKSClient } from '@aws-sdk/client-eks';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { listClusterNames, type ClusterNameFilters } from '../collect/eks.js';
import { auditFault, failedClustersOf, type ClusterAudit, type FailedCluster, type LiveAuditOptions } from './cluster-audit.js';
import { mapSettledWithLimit } from './concurrency.js';
import { auditEksCluster } from './eks-cluster.js';

/** Clusters audited at once when the caller does not say. */
export const DEFAULT_CONCURRENCY = 4;

/** The cluster name a failed entry carries when a whole region could not be listed. */
export const WHOLE_REGION = 'all clusters';

/** Which clusters to audit, where, and with which clients. */
export interface EksFleetRequest {
  regions: readonly string[];
  /** Cluster names to audit where they exist; when absent, every cluster passing `filters`. */
  clusters?: readonly string[];
  /** Name filters for discovery; ignored when `clusters` names them explicitly. */
  filters?: ClusterNameFilters;
  /** Clusters audited at once (default {@link DEFAULT_CONCURRENCY}). */
  concurrency?: number;
  /** The EKS client of a region; callers create one per region and reuse it. */
  eksFor(region: string): EKSClient;
  /** Signs the EKS tokens. */
  credentials: AwsCredentialIdentityProvider | AwsCredentialIdentity;
  options: LiveAuditOptions;
  /** Called once per cluster as soon as its audit is done (progress lines, per-cluster logs). */
  onClusterDone?(audit: ClusterAudit): void;
}

/** Every cluster's audit, and what discovery could not reach: regions that could not be listed, names not found. */
export interface EksFleetAudit {
  audits: ClusterAudit[];
  discoveryFailures: FailedCluster[];
}

/** Everything that could not be audited: discovery failures first, then the clusters whose audit failed. */
export function fleetFailures(fleet: EksFleetAudit): FailedCluster[] {
  return [...fleet.discoveryFailures, ...failedClustersOf(fleet.audits)];
}

const EVERY_CLUSTER: ClusterNameFilters = { include: [], exclude: [] };

interface ClusterRef {
  region: string;
  name: string;
}

/**
 * Discovers the clusters (ListClusters in every region, all pages), then audits them at most `concurrency` at a
 * time. A region whose listing fails becomes a failed entry named {@link WHOLE_REGION}; an explicitly named cluster
 * found in no region becomes a failed entry saying so.
 */
export async function auditEksFleet(request: EksFleetRequest): Promise<EksFleetAudit> {
  const { refs, failures } = await discover(request);
  const settled = await mapSettledWithLimit(refs, request.concurrency ?? DEFAULT_CONCURRENCY, async (ref) => {
    const audit = await auditEksCluster({ ...ref, eks: request.eksFor(ref.region), credentials: request.credentials }, request.options).catch(
      (error: unknown) => auditFault({ name: ref.name, region: ref.region }, error, request.options),
    );
    request.onClusterDone?.(audit);
    return audit;
  });
  // Audits never reject (faults become UNKNOWN findings above); a throwing progress callback must not lose a cluster.
  const audits = settled.map((outcome, index) =>
    outcome.status === 'fulfilled' ? outcome.value : auditFault(refs[index] as ClusterRef, outcome.reason, request.options),
  );
  return { audits, discoveryFailures: failures };
}

async function discover(request: EksFleetRequest): Promise<{ refs: ClusterRef[]; failures: FailedCluster[] }> {
  const filters = (!request.clusters && request.filters) || EVERY_CLUSTER;
  const listed = await Promise.all(
    request.regions.map(async (region) => {
      try {
        return { region, names: await listClusterNames(request.eksFor(region), filters) };
      } catch (error) {
        return { region, failure: (error as Error).message };
      }
    }),
  );
  const failures: FailedCluster[] = listed.flatMap(({ region, failure }) =>
    failure === undefined ? [] : [{ cluster: { name: WHOLE_REGION, region }, reason: failure }],
  );
  const found = listed.flatMap(({ region, names }) => (names ?? []).map((name) => ({ region, name })));
  if (!request.clusters) return { refs: found, failures };

  const wanted = new Set(request.clusters);
  const refs = found.filter((ref) => wanted.has(ref.name));
  const missing = [...wanted].filter((name) => !refs.some((ref) => ref.name === name));
  const searched = request.regions.join(', ');
  return {
    refs,
    failures: [...failures, ...missing.map((name) => ({ cluster: { name }, reason: `no EKS cluster named ${name} in ${searched}` }))],
  };
}
