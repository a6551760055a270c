/**
 * AWS names as every entry point validates them — region, EKS cluster name, account id, EKS cluster ARN — for the
 * handler's configuration and invocation events, the stack's settings, the command line and the EKS token signer:
 * one definition, so that a name one of them accepts is never refused by another.
 */

/**
 * An AWS region name. A 2-4 letter prefix covers every partition's regions (`eu-west-1`, `us-gov-west-1`,
 * `us-isob-east-1`, `eusc-de-east-1`); the name goes into an STS host name, so nothing else may pass.
 */
export const REGION_NAME = /^[a-z]{2,4}(-[a-z]+)+-\d+$/;

/** An EKS cluster name, as CreateCluster allows it: 1-100 letters, digits, `-` and `_`, starting alphanumeric. */
export const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;

const ACCOUNT_ID = /^\d{12}$/;

// arn:<partition>:eks:<region>:<account>:cluster/<name>
const CLUSTER_ARN = /^arn:(aws[a-z-]*):eks:([a-z0-9-]+):(\d{12}):cluster\/([^/]+)$/;

/** Whether `value` is shaped like an AWS region name (`eu-west-1`, `us-gov-west-1`, `eusc-de-east-1`). */
export function isRegionName(value: string): boolean {
  return REGION_NAME.test(value);
}

/** Whether `value` is a valid EKS cluster name. */
export function isClusterName(value: string): boolean {
  return CLUSTER_NAME.test(value);
}

/** Whether `value` is an AWS account id (12 digits). */
export function isAccountId(value: string): boolean {
  return ACCOUNT_ID.test(value);
}

/** The parts of an EKS cluster ARN. */
export interface ClusterArnParts {
  partition: string;
  region: string;
  accountId: string;
  name: string;
}

/** The parts of `arn` when it is an EKS cluster ARN, else `undefined`. */
export function clusterArnParts(arn: string): ClusterArnParts | undefined {
  const match = CLUSTER_ARN.exec(arn);
  return match ? { partition: match[1]!, region: match[2]!, accountId: match[3]!, name: match[4]! } : undefined;
}
