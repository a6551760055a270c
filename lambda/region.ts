/**
 * AWS region names, as every entry point validates them (the handler's configuration, the command line's `--region`,
 * the EKS token signer): one definition, so that a region one of them accepts is never refused by another.
 */

// A 2-4 letter prefix covers every partition's regions (`eu-west-1`, `us-gov-west-1`, `us-isob-east-1`,
// `eusc-de-east-1`); the name goes into an STS host name, so nothing else may pass.
const REGION_NAME = /^[a-z]{2,4}(-[a-z]+)+-\d+$/;

/** Whether `value` is shaped like an AWS region name (`eu-west-1`, `us-gov-west-1`, `eusc-de-east-1`). */
export function isRegionName(value: string): boolean {
  return REGION_NAME.test(value);
}
