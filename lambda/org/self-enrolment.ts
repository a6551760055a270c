/**
 * Optional self-enrolment (`memberSelfEnrolment`): before auditing a cluster, the member role grants itself the
 * read access the audit needs — an access entry in the auditor's Kubernetes group and `AmazonEKSViewPolicy` at
 * cluster scope — and nothing else: the member template allows exactly these two calls, for the role itself and
 * that one policy. A cluster that refuses (CONFIG_MAP authentication, a permission boundary) is audited anyway and
 * says why it could not be read.
 */
import { AssociateAccessPolicyCommand, CreateAccessEntryCommand, ResourceInUseException, type EKSClient } from '@aws-sdk/client-eks';
import { AUDITOR_GROUP } from '../collect/kube-rbac.js';

/** The access policy self-enrolment associates, in `partition`. */
export function viewPolicyArn(partition: string): string {
  return `arn:${partition}:eks::aws:cluster-access-policy/AmazonEKSViewPolicy`;
}

/**
 * Enrols `roleArn` in cluster `cluster`; idempotent (an existing entry is kept, the association is repeated). Returns
 * why it could not, or undefined; never throws, since the audit itself tells whether the access works.
 */
export async function enrolMemberRole(eks: EKSClient, cluster: string, roleArn: string, partition: string): Promise<string | undefined> {
  try {
    await eks.send(new CreateAccessEntryCommand({ clusterName: cluster, principalArn: roleArn, type: 'STANDARD', kubernetesGroups: [AUDITOR_GROUP] }));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) return `eks:CreateAccessEntry failed: ${(error as Error).name}`;
  }
  try {
    await eks.send(
      new AssociateAccessPolicyCommand({ clusterName: cluster, principalArn: roleArn, policyArn: viewPolicyArn(partition), accessScope: { type: 'cluster' } }),
    );
  } catch (error) {
    return `eks:AssociateAccessPolicy failed: ${(error as Error).name}`;
  }
  return undefined;
}
