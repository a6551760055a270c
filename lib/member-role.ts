/**
 * The member role: the CloudFormation template the hub deploys to every account of the organization with a
 * service-managed StackSet (new accounts of the target units get it automatically), and the StackSet itself. The
 * role trusts only the hub's plan and audit roles, and grants the EKS reads the single-account auditor's role has,
 * plus the account's enabled regions. Kubernetes access is granted per cluster by an access entry (docs/organization.md).
 * A service-managed StackSet never deploys to the management account, so the hub can also create the same role in
 * its own account, from the same template.
 */
import { Stack } from 'aws-cdk-lib';
import { CfnStackSet } from 'aws-cdk-lib/aws-cloudformation';
import { CfnRole, type IRole } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { AUDITOR_GROUP } from '../lambda/collect/kube-rbac.js';
import { EKS_READ_ACTIONS } from './auditor-permissions.js';
import { acknowledge, nagFindingId, NagFindingKind } from './nag.js';
import type { StackSetCallAs } from './settings.js';

/** What the member role is called and whom it trusts. */
export interface MemberRoleTemplateProps {
  roleName: string;
  /** The hub's role ARNs (tokens in the hub's stack) that may assume it. */
  trustedRoleArns: string[];
  /**
   * The hub's account: the trust policy's principal, narrowed to the roles above by `aws:PrincipalArn`. Inside
   * `Fn::Sub`, so `${AWS::AccountId}` names the account the role is created in (the hub's own copy).
   */
  hubAccount: string;
  /** Let the role enrol itself in each cluster: its own access entry, AmazonEKSViewPolicy at cluster scope only. */
  selfEnrolment?: boolean;
}

/**
 * The self-enrolment statements: an access entry for this role only (in the auditor's Kubernetes group), and the
 * association of AmazonEKSViewPolicy at cluster scope only, to that entry only.
 */
function selfEnrolmentStatements(roleName: string): Array<Record<string, unknown>> {
  return [
    {
      Sid: 'EnrolItself',
      Effect: 'Allow',
      Action: 'eks:CreateAccessEntry',
      Resource: memberArn('eks', 'cluster/*'),
      Condition: {
        ArnEquals: { 'eks:principalArn': { 'Fn::Sub': `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/${roleName}` } },
        'ForAllValues:StringEquals': { 'eks:kubernetesGroups': [AUDITOR_GROUP] },
      },
    },
    {
      Sid: 'ViewPolicyOnly',
      Effect: 'Allow',
      Action: 'eks:AssociateAccessPolicy',
      Resource: memberArn('eks', `access-entry/*/role/\${AWS::AccountId}/${roleName}/*`),
      Condition: {
        StringEquals: {
          'eks:policyArn': { 'Fn::Sub': 'arn:${AWS::Partition}:eks::aws:cluster-access-policy/AmazonEKSViewPolicy' },
          'eks:accessScope': 'cluster',
        },
      },
    },
  ];
}

/** The member account's own ARN of `resource`, for the template (resolved by CloudFormation in that account). */
function memberArn(service: string, resource: string, region = '*'): { 'Fn::Sub': string } {
  return { 'Fn::Sub': `arn:\${AWS::Partition}:${service}:${region}:\${AWS::AccountId}:${resource}` };
}

/** The member role's template, as a plain CloudFormation document. */
export function memberRoleTemplate(props: MemberRoleTemplateProps): Record<string, unknown> {
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: 'EKS network-policy auditor member role: read-only EKS access for the organization hub',
    Resources: {
      MemberRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: props.roleName,
          Description: 'Assumed by the EKS network-policy auditor hub to read this account\'s EKS clusters',
          MaxSessionDuration: 3600,
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'HubRolesOnly',
                Effect: 'Allow',
                Principal: { AWS: { 'Fn::Sub': `arn:\${AWS::Partition}:iam::${props.hubAccount}:root` } },
                Action: 'sts:AssumeRole',
                // The account principal alone would let any of the hub's roles in; the condition names the two.
                Condition: { ArnEquals: { 'aws:PrincipalArn': props.trustedRoleArns } },
              },
            ],
          },
          Policies: [
            {
              PolicyName: 'eks-read',
              PolicyDocument: {
                Version: '2012-10-17',
                Statement: [
                  // eks:ListClusters supports no resource-level permissions.
                  { Sid: 'DiscoverClusters', Effect: 'Allow', Action: 'eks:ListClusters', Resource: '*' },
                  {
                    Sid: 'ReadClusters',
                    Effect: 'Allow',
                    Action: [...EKS_READ_ACTIONS],
                    // Add-on ARNs end in a generated id: addon/<cluster>/<add-on>/<uuid>.
                    Resource: [memberArn('eks', 'cluster/*'), memberArn('eks', 'addon/*/*/*')],
                  },
                  { Sid: 'EnabledRegions', Effect: 'Allow', Action: 'account:ListRegions', Resource: memberArn('account', 'account', '') },
                  ...(props.selfEnrolment ? selfEnrolmentStatements(props.roleName) : []),
                ],
              },
            },
          ],
        },
      },
    },
    Outputs: { MemberRoleArn: { Value: { 'Fn::GetAtt': ['MemberRole', 'Arn'] } } },
  };
}

/** Where and how the StackSet deploys the member role. */
export interface MemberRoleStackSetProps {
  roleName: string;
  trustedRoles: IRole[];
  /** Root or OU ids: every account under them gets the role, accounts added later too. */
  targets: string[];
  callAs: StackSetCallAs;
  selfEnrolment: boolean;
  /**
   * Also create the member role in the hub's own account: the StackSet never deploys to the management account, so a
   * hub there (or a delegated administrator outside `targets`) would audit its own clusters as UNKNOWN without it.
   */
  inHubAccount?: boolean;
}

/** The service-managed StackSet that puts the member role in every account of the target units. */
export class MemberRoleStackSet extends Construct {
  readonly stackSet: CfnStackSet;
  /** The member role in the hub's own account, when asked for. */
  readonly hubRole?: CfnRole;

  constructor(scope: Construct, id: string, props: MemberRoleStackSetProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const template = memberRoleTemplate({
      roleName: props.roleName,
      trustedRoleArns: props.trustedRoles.map((role) => role.roleArn),
      hubAccount: stack.account,
      selfEnrolment: props.selfEnrolment,
    });
    this.stackSet = new CfnStackSet(this, 'StackSet', {
      stackSetName: `${props.roleName}-role`,
      description: 'EKS network-policy auditor: the member role in every account of the organization',
      permissionModel: 'SERVICE_MANAGED',
      callAs: props.callAs,
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      capabilities: ['CAPABILITY_NAMED_IAM'],
      managedExecution: { Active: true },
      // An account that refuses the role must not keep the others without one: its audit is UNKNOWN, naming the role.
      operationPreferences: { failureTolerancePercentage: 100, maxConcurrentPercentage: 100, regionConcurrencyType: 'PARALLEL' },
      // IAM is global: one region per account is enough.
      stackInstancesGroup: [{ deploymentTargets: { organizationalUnitIds: props.targets }, regions: [stack.region] }],
      templateBody: stack.toJsonString(template),
    });
    // The trusted roles must exist before any member account's IAM validates the trust policy's principals.
    for (const role of props.trustedRoles) this.stackSet.node.addDependency(role);
    if (props.inHubAccount) this.hubRole = hubMemberRole(this, props);
  }
}

/** The same member role in the hub's account: the template's role, trusting the hub's roles in this very account. */
function hubMemberRole(scope: Construct, props: MemberRoleStackSetProps): CfnRole {
  const template = memberRoleTemplate({
    roleName: props.roleName,
    trustedRoleArns: props.trustedRoles.map((role) => role.roleArn),
    hubAccount: '${AWS::AccountId}',
    selfEnrolment: props.selfEnrolment,
  });
  const role = (template.Resources as { MemberRole: { Properties: MemberRoleProperties } }).MemberRole.Properties;
  const hubRole = new CfnRole(scope, 'HubMemberRole', {
    roleName: role.RoleName,
    description: role.Description,
    maxSessionDuration: role.MaxSessionDuration,
    assumeRolePolicyDocument: role.AssumeRolePolicyDocument,
    policies: role.Policies.map((policy) => ({ policyName: policy.PolicyName, policyDocument: policy.PolicyDocument })),
  });
  for (const role of props.trustedRoles) hubRole.node.addDependency(role);
  // The wildcards of the member template, reviewed there: clusters and add-ons are found at run time.
  const wildcards = role.Policies.flatMap((policy) => policy.PolicyDocument.Statement.flatMap((statement) => [statement.Resource].flat()));
  for (const resource of wildcards.filter((value) => JSON.stringify(value).includes('*'))) {
    acknowledge(hubRole, nagFindingId(hubRole, 'AwsSolutions-IAM5', NagFindingKind.Resource, resource), 'The member role reads clusters and add-ons found at run time, in this account only (the member template).');
  }
  return hubRole;
}

/** The member role's properties as {@link memberRoleTemplate} writes them. */
interface MemberRoleProperties {
  RoleName: string;
  Description: string;
  MaxSessionDuration: number;
  AssumeRolePolicyDocument: Record<string, unknown>;
  Policies: Array<{ PolicyName: string; PolicyDocument: { Statement: Array<{ Resource: unknown }> } }>;
}
