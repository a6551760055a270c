/**
 * Reading the AWS CLI's `aws eks describe-cluster` and `aws eks describe-addon` output, and the cluster identity that
 * every finding carries. Only the fields the audit reads are kept (see {@link EksCluster}, {@link EksAddon}).
 */
import type { ClusterIdentity, EksAddon, EksCluster } from '../audit/snapshot.js';
import { clusterArnParts } from '../names.js';
import { InputError } from './input-error.js';
import { isRecord } from './object-problems.js';

/** The `cluster` of `aws eks describe-cluster` output read from `file`; throws {@link InputError} on another shape. */
export function describedCluster(file: string, document: unknown): EksCluster {
  const cluster = isRecord(document) ? document.cluster : undefined;
  if (!isRecord(cluster) || typeof cluster.name !== 'string' || cluster.name === '') {
    throw new InputError(file, 'not `aws eks describe-cluster` output (expected {"cluster": {"name": …}})');
  }
  const arn = optionalText(file, cluster, 'arn', 'cluster');
  if (arn !== undefined && clusterArnParts(arn) === undefined) throw new InputError(file, 'cluster.arn is not an EKS cluster ARN');
  const accessConfig = isRecord(cluster.accessConfig) ? cluster.accessConfig : {};
  const vpcConfig = isRecord(cluster.resourcesVpcConfig) ? cluster.resourcesVpcConfig : {};
  // EKS Auto Mode runs the VPC CNI's node agent on managed nodes, without an aws-node DaemonSet.
  const computeConfig = isRecord(cluster.computeConfig) ? cluster.computeConfig : undefined;
  return {
    name: cluster.name,
    arn,
    status: optionalText(file, cluster, 'status', 'cluster'),
    version: optionalText(file, cluster, 'version', 'cluster'),
    platformVersion: optionalText(file, cluster, 'platformVersion', 'cluster'),
    endpoint: optionalText(file, cluster, 'endpoint', 'cluster'),
    accessConfig: { authenticationMode: optionalText(file, accessConfig, 'authenticationMode', 'cluster.accessConfig') },
    resourcesVpcConfig: {
      endpointPublicAccess: typeof vpcConfig.endpointPublicAccess === 'boolean' ? vpcConfig.endpointPublicAccess : undefined,
      endpointPrivateAccess:
        typeof vpcConfig.endpointPrivateAccess === 'boolean' ? vpcConfig.endpointPrivateAccess : undefined,
    },
    tags: isRecord(cluster.tags) ? (cluster.tags as Record<string, string>) : undefined,
    computeConfig: computeConfig && {
      enabled: typeof computeConfig.enabled === 'boolean' ? computeConfig.enabled : undefined,
    },
  };
}

/** The `addon` of `aws eks describe-addon` output read from `file`; throws {@link InputError} on another shape. */
export function describedAddon(file: string, document: unknown): EksAddon {
  const addon = isRecord(document) ? document.addon : undefined;
  if (!isRecord(addon) || typeof addon.addonName !== 'string' || addon.addonName === '') {
    throw new InputError(file, 'not `aws eks describe-addon` output (expected {"addon": {"addonName": …}})');
  }
  return {
    addonName: addon.addonName,
    clusterName: optionalText(file, addon, 'clusterName', 'addon'),
    addonVersion: optionalText(file, addon, 'addonVersion', 'addon'),
    status: optionalText(file, addon, 'status', 'addon'),
    configurationValues: optionalText(file, addon, 'configurationValues', 'addon'),
    addonArn: optionalText(file, addon, 'addonArn', 'addon'),
  };
}

/**
 * Who the findings are about. With describe-cluster output: its name and ARN, the account and region read from the
 * ARN. Without it the name is the caller's fallback (for offline files, the capture's file name) and the account and
 * region stay unknown rather than guessed.
 */
export function clusterIdentity(cluster: EksCluster | undefined, fallbackName: string): ClusterIdentity {
  if (!cluster) return { name: fallbackName };
  const parts = cluster.arn === undefined ? undefined : clusterArnParts(cluster.arn);
  return { name: cluster.name, arn: cluster.arn, region: parts?.region, accountId: parts?.accountId };
}

function optionalText(file: string, owner: Record<string, unknown>, field: string, path: string): string | undefined {
  const value = owner[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new InputError(file, `${path}.${field} is not a string`);
  return value;
}
