/**
 * Auditing many EKS clusters across regions with bounded concurrency. Clusters fail independently: a cluster whose
 * audit fails, even by throwing, or does not finish by its deadline, yields UNKNOWN findings and a failed-cluster
 * entry while the others are audited normally. Each cluster's audit is handed to the caller as soon as it is done (the
 * handler stores it then), so a slow cluster never holds back the findings of the others. The same code serves the
 * Lambda handler and the command line; the AWS clients are passed in.
 */
import type { EKSClient } from '@aws-sdk/client-eks';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { ClusterIdentity } from '../audit/snapshot.js';
import { listClusterNames, type ClusterNameFilters } from '../collect/eks.js';
import {
  auditFault,
  auditNotDiscovered,
  auditWithinDeadline,
  type ClusterAudit,
  type DiscoveryFailure,
  type LiveAuditOptions,
} from './cluster-audit.js';
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
}

const EVERY_CLUSTER: ClusterNameFilters = { include: [], exclude: [] };

interface ClusterRef {
  region: string;
  name: string;
}

/**
 * Discovers the clusters (ListClusters in every region, all pages), then audits them at most `concurrency` at a
 * time, each within its deadline (`options.deadline`), and hands each audit to `finish` as soon as it is done; resolves
 * to what `finish` returned, what discovery could not reach first (one UNKNOWN `control` finding each), then the
 * clusters found. A region whose listing fails becomes an audit named {@link WHOLE_REGION} with an UNKNOWN finding on
 * the region; an explicitly named cluster becomes one saying it does not exist only when every region could be
 * listed, else saying it could not be looked up. `finish` must not reject: if it does, the others are still finished
 * and then the first such error is thrown.
 */
export async function auditEksFleet<R>(request: EksFleetRequest, finish: (audit: ClusterAudit) => Promise<R>): Promise<R[]> {
  const { refs, failures } = await discover(request);
  const audit = async (ref: ClusterRef): Promise<ClusterAudit> => {
    let cluster: ClusterIdentity = { name: ref.name, region: ref.region };
    const described = (identity: ClusterIdentity) => (cluster = identity);
    const target = { ...ref, eks: request.eksFor(ref.region), credentials: request.credentials, described };
    try {
      return await auditWithinDeadline(() => cluster, request.options, (options) => auditEksCluster(target, options));
    } catch (error) {
      return auditFault(cluster, error, request.options);
    }
  };
  const notDiscovered = await Promise.allSettled(failures.map((failure) => finish(auditNotDiscovered(failure, request.options))));
  const found = await mapSettledWithLimit(refs, request.concurrency ?? DEFAULT_CONCURRENCY, async (ref) => finish(await audit(ref)));
  return [...notDiscovered, ...found].map((outcome) => {
    if (outcome.status === 'rejected') throw outcome.reason;
    return outcome.value;
  });
}

async function discover(request: EksFleetRequest): Promise<{ refs: ClusterRef[]; failures: DiscoveryFailure[] }> {
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
  const unlisted = listed.flatMap(({ region, failure }) => (failure === undefined ? [] : [{ region, failure }]));
  const failures = unlisted.map(({ region, failure }): DiscoveryFailure => ({
    cluster: { name: WHOLE_REGION, region },
    resource: { kind: 'Region', namespace: null, name: region },
    reason: `the clusters of ${region} could not be listed: ${failure}`,
    remediation: `Give the auditor AWS credentials that allow eks:ListClusters in ${region} (for the command line: the AWS credential chain, e.g. AWS_PROFILE), then audit again.`,
  }));
  const found = listed.flatMap(({ region, names }) => (names ?? []).map((name) => ({ region, name })));
  if (!request.clusters) return { refs: found, failures };

  const wanted = new Set(request.clusters);
  const refs = found.filter((ref) => wanted.has(ref.name));
  const missing = [...wanted].filter((name) => !refs.some((ref) => ref.name === name));
  const searched = request.regions.join(', ');
  const unlistedRegions = unlisted.map(({ region }) => region).join(', ');
  // A name missing from the listings proves nothing when a region could not be listed: the cluster may be there.
  const reasonFor = (name: string) =>
    unlisted.length === 0
      ? `no EKS cluster named ${name} in ${searched}`
      : `EKS cluster ${name} could not be looked up: the clusters of ${unlistedRegions} could not be listed`;
  return {
    refs,
    failures: [
      ...failures,
      ...missing.map((name): DiscoveryFailure => ({
        cluster: { name },
        resource: { kind: 'Cluster', namespace: null, name },
        reason: reasonFor(name),
        remediation: `Check the cluster name and the regions searched (${searched}), then audit again.`,
      })),
    ],
  };
}
