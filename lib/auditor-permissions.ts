/**
 * The function role's permissions, least privilege: `eks:ListClusters` is the only action on `*` (it has no
 * resource-level permissions); describe and add-on reads are scoped to this account's cluster and add-on ARNs in
 * the audited regions; writes go to the findings prefix only; publishing to the alert topic only. Every wildcard
 * resource is acknowledged to cdk-nag one by one, with its reason.
 */
import { ArnFormat, Stack } from 'aws-cdk-lib';
import { PolicyStatement, type IRole } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { STATE_PREFIX } from '../lambda/report/run-state.js';
import { TOPIC_KEY_ACTIONS } from './alerting.js';
import { acknowledge, nagFindingId, NagFindingKind } from './nag.js';

/** What the function reads and writes. */
export interface AuditorResources {
  regions: readonly string[];
  bucket: IBucket;
  prefix: string;
  topic: ITopic;
  topicKey: IKey;
  /** The suppressions object the function reads, when configured. */
  suppressionsKey?: string;
  /** Findings are imported into Security Hub in the audited regions. */
  securityHub?: boolean;
}

/** The EKS reads an audit makes per cluster (the Kubernetes API is authorised by the access entry, not IAM). */
export const EKS_READ_ACTIONS = ['eks:DescribeCluster', 'eks:ListAddons', 'eks:DescribeAddon'] as const;

const IAM5 = 'AwsSolutions-IAM5';

/** Adds the auditor's statements to `role` and acknowledges each wildcard resource they need. */
export function grantAuditorPermissions(role: IRole, resources: AuditorResources): void {
  const stack = Stack.of(role);
  const eksArn = (resource: string, resourceName: string, region: string) =>
    stack.formatArn({ service: 'eks', region, resource, resourceName, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
  const clusterArns = resources.regions.map((region) => eksArn('cluster', '*', region));
  // Add-on ARNs are addon/<cluster>/<add-on>/<uuid>; the uuid is unknown until the add-on exists.
  const addonArns = resources.regions.map((region) => eksArn('addon', '*/*/*', region));
  const findingObjects = resources.bucket.arnForObjects(`${resources.prefix}/*`);
  const stateObjects = resources.bucket.arnForObjects(`${STATE_PREFIX}/*`);
  const readable = [findingObjects, stateObjects, ...(resources.suppressionsKey ? [resources.bucket.arnForObjects(resources.suppressionsKey)] : [])];

  const statements = [
    new PolicyStatement({ sid: 'DiscoverClusters', actions: ['eks:ListClusters'], resources: ['*'] }),
    new PolicyStatement({
      sid: 'ReadClusters',
      actions: [...EKS_READ_ACTIONS],
      resources: [...clusterArns, ...addonArns],
    }),
    new PolicyStatement({ sid: 'WriteFindings', actions: ['s3:PutObject'], resources: [findingObjects, stateObjects] }),
    // The previous run of each cluster (its state object, then its findings) and the suppressions object.
    new PolicyStatement({ sid: 'ReadHistory', actions: ['s3:GetObject'], resources: readable }),
    // Without it a missing object reads as 403, not 404: a cluster's first run would look like a failure.
    new PolicyStatement({ sid: 'TellMissingObjects', actions: ['s3:ListBucket'], resources: [resources.bucket.bucketArn] }),
    new PolicyStatement({ sid: 'PublishAlert', actions: ['sns:Publish'], resources: [resources.topic.topicArn] }),
    new PolicyStatement({
      sid: 'EncryptAlert',
      actions: [...TOPIC_KEY_ACTIONS],
      resources: [resources.topicKey.keyArn],
    }),
  ];
  if (resources.securityHub) {
    // Only the account's own default custom integration, in the audited regions.
    const products = resources.regions.map((region) =>
      stack.formatArn({ service: 'securityhub', region, resource: 'product', resourceName: `${stack.account}/default`, arnFormat: ArnFormat.SLASH_RESOURCE_NAME }),
    );
    statements.push(new PolicyStatement({ sid: 'ImportFindings', actions: ['securityhub:BatchImportFindings'], resources: products }));
  }
  for (const statement of statements) role.addToPrincipalPolicy(statement);

  const wildcard = (value: string, reason: string) =>
    acknowledge(role, nagFindingId(role, IAM5, NagFindingKind.Resource, value), reason);
  wildcard('*', 'eks:ListClusters supports no resource-level permissions; it is the only action on "*".');
  for (const arn of clusterArns) {
    wildcard(arn, 'Clusters are discovered at run time; scoped to this account and one audited region.');
  }
  for (const arn of addonArns) {
    wildcard(arn, 'Add-on ARNs end in a generated id; scoped to this account and one audited region.');
  }
  wildcard(findingObjects, 'Object keys carry the run id and cluster; reads and writes are limited to the findings prefix.');
  wildcard(stateObjects, 'One state object per cluster, named after it; limited to the state prefix.');
}
