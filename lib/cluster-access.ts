/**
 * Kubernetes read access for the function's role: an EKS access entry with `AmazonEKSViewPolicy` at cluster scope
 * for every cluster named in context (clusters in the stack's region whose authentication mode admits access
 * entries), and two stack outputs with the exact commands that grant the same access on any other cluster.
 */
import { Aws, CfnOutput, Fn } from 'aws-cdk-lib';
import { CfnAccessEntry } from 'aws-cdk-lib/aws-eks';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/** Whose access and on which clusters. */
export interface ClusterAccessProps {
  role: IRole;
  clusters: readonly string[];
}

/** The EKS access policy that maps to Kubernetes' `view` role: read access, no Secrets. */
const VIEW_POLICY_ARN = `arn:${Aws.PARTITION}:eks::aws:cluster-access-policy/AmazonEKSViewPolicy`;

/** The access entries and the `CreateAccessEntryCommand` / `AssociateAccessPolicyCommand` outputs. */
export class ClusterAccess extends Construct {
  readonly entries: CfnAccessEntry[];

  constructor(scope: Construct, id: string, props: ClusterAccessProps) {
    super(scope, id);
    this.entries = props.clusters.map(
      (clusterName) =>
        new CfnAccessEntry(this, clusterName, {
          clusterName,
          principalArn: props.role.roleArn,
          type: 'STANDARD',
          accessPolicies: [{ policyArn: VIEW_POLICY_ARN, accessScope: { type: 'cluster' } }],
        }),
    );
    // Shell variables rather than placeholders, so the commands run as printed once the two are exported.
    const target = '--cluster-name "$CLUSTER_NAME" --region "$CLUSTER_REGION" --principal-arn ';
    new CfnOutput(scope, 'CreateAccessEntryCommand', {
      description: 'Step 1 of granting the auditor read access to a cluster (set CLUSTER_NAME and CLUSTER_REGION)',
      value: Fn.join('', ['aws eks create-access-entry ', target, props.role.roleArn, ' --type STANDARD']),
    });
    new CfnOutput(scope, 'AssociateAccessPolicyCommand', {
      description: 'Step 2 of granting the auditor read access to a cluster (set CLUSTER_NAME and CLUSTER_REGION)',
      value: Fn.join('', [
        'aws eks associate-access-policy ',
        target,
        props.role.roleArn,
        ` --policy-arn ${VIEW_POLICY_ARN} --access-scope type=cluster`,
      ]),
    });
  }
}
