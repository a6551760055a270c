/**
 * EKS collection: which clusters a region has, and what the EKS API says about one of them (its configuration and
 * its `vpc-cni` add-on). Every failure to describe a cluster becomes a {@link CollectionProblem} in the result, so one
 * unreadable cluster never stops the audit of the others.
 */
import {
  DescribeAddonCommand,
  DescribeClusterCommand,
  EKSClient,
  paginateListAddons,
  paginateListClusters,
  type Addon,
  type Cluster,
  type EKSClientConfig,
} from '@aws-sdk/client-eks';
import { withoutUndefined } from '../audit/records.js';
import type { ClusterIdentity, CollectionProblem, EksAddon, EksCluster } from '../audit/snapshot.js';
import { awsFailureText, sdkMetadata } from '../aws-failure.js';
import { globPattern } from '../glob.js';
import { clusterIdentity as describedClusterIdentity } from './eks-describe.js';

/**
 * Attempts per EKS call (the first try included) in the SDK's `standard` retry mode: throttling and 5xx answers are
 * retried with exponential backoff and full jitter (for throttling, 1 s doubling per retry: about 7.5 s of waiting on
 * average and 15 s at most before giving up), which absorbs the bursts of a concurrent audit of many clusters without
 * holding the Lambda for long.
 */
export const EKS_MAX_ATTEMPTS = 5;

/** The add-on whose configuration tells whether the VPC CNI enforces NetworkPolicy. */
export const VPC_CNI_ADDON = 'vpc-cni';

/**
 * An EKS client for `region` configured for the audit: the SDK's `standard` retry mode with {@link EKS_MAX_ATTEMPTS}.
 * `overrides` is for tests and custom endpoints; the SDK still honours `AWS_ENDPOINT_URL_EKS`.
 */
export function createEksClient(region: string, overrides: EKSClientConfig = {}): EKSClient {
  return new EKSClient({ region, retryMode: 'standard', maxAttempts: EKS_MAX_ATTEMPTS, ...overrides });
}

/** Cluster name filters: glob patterns with `*` and `?`; an empty `include` means every cluster; `exclude` wins. */
export interface ClusterNameFilters {
  include: string[];
  exclude: string[];
}

/**
 * The names of the region's clusters that pass `filters`, sorted, reading every page of ListClusters. A failure
 * (after the SDK's retries) throws an error naming the call, the region and the cause: without the list there is
 * nothing to audit in that region.
 */
export async function listClusterNames(eks: EKSClient, filters: ClusterNameFilters): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const page of paginateListClusters({ client: eks }, {})) names.push(...(page.clusters ?? []));
  } catch (error) {
    throw new Error(`eks:ListClusters failed in ${await regionOf(eks)}: ${awsFailureText(error)}`);
  }
  const include = filters.include.map(globPattern);
  const exclude = filters.exclude.map(globPattern);
  return names
    .filter((name) => include.length === 0 || include.some((pattern) => pattern.test(name)))
    .filter((name) => !exclude.some((pattern) => pattern.test(name)))
    .sort();
}

/** What the EKS API told about one cluster, with what it could not tell as problems. */
export interface EksView {
  /** Undefined when DescribeCluster failed (a `cluster` problem says why). */
  cluster?: EksCluster;
  /** Undefined when the add-ons could not be read (an `eksAddons` problem says why); `[]` without `vpc-cni`. */
  addons?: EksAddon[];
  problems: CollectionProblem[];
  /** The Kubernetes API server URL, for the live collection. */
  endpoint?: string;
  /** Base64 PEM of the cluster's CA, as DescribeCluster returns it. */
  certificateAuthorityData?: string;
}

/**
 * Describes cluster `name` for the audit: DescribeCluster, then ListAddons and DescribeAddon(`vpc-cni`) when the
 * add-on is installed. Never throws: throttling that outlasted the retries, missing IAM permissions and a cluster that
 * is not ACTIVE all come back as problems naming what is missing, so the audit reports UNKNOWN with the reason.
 */
export async function describeClusterForAudit(eks: EKSClient, name: string): Promise<EksView> {
  let described: Cluster | undefined;
  try {
    described = (await eks.send(new DescribeClusterCommand({ name }))).cluster;
  } catch (error) {
    return { problems: [callProblem('cluster', 'eks:DescribeCluster', error, 'the cluster could not be described')] };
  }
  if (!described) {
    return { problems: [{ kind: 'cluster', reason: 'eks:DescribeCluster returned no cluster' }] };
  }

  const cluster = toEksCluster(described, name);
  const problems: CollectionProblem[] = [];
  if (cluster.status !== undefined && cluster.status !== 'ACTIVE') {
    problems.push({
      kind: 'cluster',
      reason: `cluster is ${cluster.status}: the Kubernetes API cannot be audited until it is ACTIVE`,
      remediation:
        'The next scheduled run audits the cluster once it is ACTIVE; a FAILED cluster must be repaired or recreated.',
    });
  }
  const addons = await readVpcCniAddon(eks, name);
  if ('problem' in addons) problems.push(addons.problem);

  return {
    cluster,
    ...('addons' in addons ? { addons: addons.addons } : {}),
    problems,
    ...(described.endpoint ? { endpoint: described.endpoint } : {}),
    ...(described.certificateAuthority?.data ? { certificateAuthorityData: described.certificateAuthority.data } : {}),
  };
}

/**
 * The identity a cluster's findings carry: name and ARN, the account id read from the ARN (unknown without one), and
 * the region the cluster was listed in (known even when the ARN is missing).
 */
export function clusterIdentity(cluster: EksCluster, region: string): ClusterIdentity {
  return { ...describedClusterIdentity(cluster, cluster.name), region };
}

type AddonRead = { addons: EksAddon[] } | { problem: CollectionProblem };

async function readVpcCniAddon(eks: EKSClient, clusterName: string): Promise<AddonRead> {
  const names: string[] = [];
  try {
    for await (const page of paginateListAddons({ client: eks }, { clusterName })) names.push(...(page.addons ?? []));
  } catch (error) {
    return { problem: callProblem('eksAddons', 'eks:ListAddons', error, 'the add-ons could not be listed') };
  }
  if (!names.includes(VPC_CNI_ADDON)) return { addons: [] };
  try {
    const { addon } = await eks.send(new DescribeAddonCommand({ clusterName, addonName: VPC_CNI_ADDON }));
    return { addons: addon ? [toEksAddon(addon)] : [] };
  } catch (error) {
    // Removed between the two calls: the cluster has no vpc-cni add-on now.
    if (errorName(error) === 'ResourceNotFoundException') return { addons: [] };
    return {
      problem: callProblem('eksAddons', 'eks:DescribeAddon', error, `the ${VPC_CNI_ADDON} add-on could not be read`),
    };
  }
}

const THROTTLING_ERRORS = new Set([
  'ThrottlingException',
  'TooManyRequestsException',
  'Throttling',
  'RequestLimitExceeded',
]);
const ACCESS_DENIED_ERRORS = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation']);

/** Turns a failed EKS call into a problem that names the call, why it failed and what to do about it. */
function callProblem(
  kind: CollectionProblem['kind'],
  action: string,
  error: unknown,
  consequence: string,
): CollectionProblem {
  const name = errorName(error);
  const status = sdkMetadata(error)?.httpStatusCode;
  if (THROTTLING_ERRORS.has(name) || status === 429) {
    return {
      kind,
      reason: `${action} was throttled (${attemptsText(error)}): ${consequence}`,
      remediation: 'Lower AUDIT_CONCURRENCY or request a higher EKS API rate quota; the next run tries again.',
    };
  }
  if (ACCESS_DENIED_ERRORS.has(name) || status === 403) {
    return {
      kind,
      reason: `access denied to ${action}: ${consequence}`,
      remediation: `Allow the IAM action ${action} to the auditor's role.`,
    };
  }
  if (name === 'ResourceNotFoundException') {
    return { kind, reason: `${action} found no such cluster (deleted since it was listed?): ${consequence}` };
  }
  return { kind, reason: `${action} failed (${awsFailureText(error)}): ${consequence}` };
}

function attemptsText(error: unknown): string {
  const attempts = sdkMetadata(error)?.attempts;
  return attempts ? `${attempts} attempts` : 'retries exhausted';
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : '';
}

async function regionOf(eks: EKSClient): Promise<string> {
  try {
    return await eks.config.region();
  } catch {
    return 'the configured region';
  }
}

/** The fields the audit reads, as the offline loader reads them from describe-cluster output; absent ones left out. */
function toEksCluster(cluster: Cluster, requestedName: string): EksCluster {
  const vpc = cluster.resourcesVpcConfig;
  return withoutUndefined({
    name: cluster.name ?? requestedName,
    arn: cluster.arn,
    status: cluster.status,
    version: cluster.version,
    platformVersion: cluster.platformVersion,
    endpoint: cluster.endpoint,
    accessConfig: cluster.accessConfig
      ? withoutUndefined({ authenticationMode: cluster.accessConfig.authenticationMode })
      : undefined,
    resourcesVpcConfig: vpc
      ? withoutUndefined({
          endpointPublicAccess: vpc.endpointPublicAccess,
          endpointPrivateAccess: vpc.endpointPrivateAccess,
        })
      : undefined,
    tags: cluster.tags,
    // EKS Auto Mode runs the VPC CNI's node agent on managed nodes, without an aws-node DaemonSet.
    computeConfig: cluster.computeConfig ? withoutUndefined({ enabled: cluster.computeConfig.enabled }) : undefined,
  });
}

function toEksAddon(addon: Addon): EksAddon {
  return withoutUndefined({
    addonName: addon.addonName ?? VPC_CNI_ADDON,
    clusterName: addon.clusterName,
    addonVersion: addon.addonVersion,
    status: addon.status,
    configurationValues: addon.configurationValues,
    addonArn: addon.addonArn,
  });
}
