/**
 * Kubernetes read access for the function's role: an EKS access entry with `AmazonEKSViewPolicy` at cluster scope
 * for every cluster named in context (clusters in the stack's region whose authentication mode admits access
 * entries), and stack outputs with the exact commands that grant the same access on any other cluster.
 *
 * The view policy does not grant nodes or the policy APIs CRDs add (ApplicationNetworkPolicies, PolicyEndpoints, …),
 * so the entry also puts the role in the Kubernetes group `eks-netpol-auditor`; the read-only ClusterRole bound to
 * that group is one manifest to apply in each cluster (docs/live-audit.md; a 403 finding prints it too). Until it is
 * applied, only the checks that need those kinds are UNKNOWN.
 */
import { Aws, CfnOutput, Fn } from 'aws-cdk-lib';
import { CfnAccessEntry } from 'aws-cdk-lib/aws-eks';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { AUDITOR_GROUP } from '../lambda/collect/kube-rbac.js';

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
          kubernetesGroups: [AUDITOR_GROUP],
          accessPolicies: [{ policyArn: VIEW_POLICY_ARN, accessScope: { type: 'cluster' } }],
        }),
    );
    // Shell variables rather than placeholders, so the commands run as printed once the two are exported.
    const target = '--cluster-name "$CLUSTER_NAME" --region "$CLUSTER_REGION" --principal-arn ';
    new CfnOutput(scope, 'CreateAccessEntryCommand', {
      description: 'Step 1 of granting the auditor read access to a cluster (set CLUSTER_NAME and CLUSTER_REGION)',
      value: Fn.join('', ['aws eks create-access-entry ', target, props.role.roleArn, ` --type STANDARD --kubernetes-groups ${AUDITOR_GROUP}`]),
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
