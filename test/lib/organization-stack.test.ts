/**
 * The organization-mode stack: selected by `-c mode=organization` beside the unchanged single-account stack, IAM
 * without wildcard actions and with AssumeRole on the member role only, the member role StackSet and its template,
 * and the schedule starting one execution per run.
 */
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { RunMetric } from '../../lambda/live/run-metrics.js';
import { ORGANIZATION_STACK_NAME, STACK_NAME, buildAuditorApp } from '../../lib/auditor-app.js';
import { AuditorStack } from '../../lib/auditor-stack.js';
import { EKS_READ_ACTIONS } from '../../lib/auditor-permissions.js';
import { memberRoleTemplate } from '../../lib/member-role.js';
import type { OrganizationStack } from '../../lib/organization-stack.js';
import { TEST_ENV, logicalId, synthOrganization, testApp } from './support/auditor-app.js';

type Statement = { Action: string | string[]; Resource: unknown; Condition?: Record<string, unknown>; Effect: string };

function statementsOf(template: Template): Array<{ policy: string; statement: Statement }> {
  return Object.entries(template.findResources('AWS::IAM::Policy')).flatMap(([policy, resource]) =>
    (resource.Properties.PolicyDocument.Statement as Statement[]).map((statement) => ({ policy, statement })),
  );
}

const actionsOf = (statement: Statement) => (Array.isArray(statement.Action) ? statement.Action : [statement.Action]);

describe('the member role template', () => {
  const trusted = ['arn:aws:iam::111122223333:role/plan', 'arn:aws:iam::111122223333:role/audit'];
  const template = memberRoleTemplate({ roleName: 'eks-netpol-auditor-member', trustedRoleArns: trusted, hubAccount: '111122223333' });
  const role = (template.Resources as Record<string, { Properties: any }>).MemberRole!.Properties;

  it('trusts only the hub\'s given roles', () => {
    // Act
    const [trust, ...others] = role.AssumeRolePolicyDocument.Statement;

    // Assess
    expect(others).toEqual([]);
    expect(trust).toEqual({
      Sid: 'HubRolesOnly',
      Effect: 'Allow',
      Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::111122223333:root' } },
      Action: 'sts:AssumeRole',
      Condition: { ArnEquals: { 'aws:PrincipalArn': trusted } },
    });
    expect(role.RoleName).toBe('eks-netpol-auditor-member');
  });

  it('grants the single-account EKS reads and the enabled regions, no wildcard action', () => {
    // Act
    const statements = role.Policies.flatMap((policy: { PolicyDocument: { Statement: Statement[] } }) => policy.PolicyDocument.Statement);

    // Assess
    const actions = statements.flatMap(actionsOf);
    expect(actions.sort()).toEqual(['account:ListRegions', ...EKS_READ_ACTIONS, 'eks:ListClusters'].sort());
    expect(actions.some((action: string) => action.includes('*'))).toBe(false);
    expect(statements.find((statement: Statement) => actionsOf(statement).includes('eks:DescribeCluster')).Resource).toEqual([
      { 'Fn::Sub': 'arn:${AWS::Partition}:eks:*:${AWS::AccountId}:cluster/*' },
      { 'Fn::Sub': 'arn:${AWS::Partition}:eks:*:${AWS::AccountId}:addon/*/*/*' },
    ]);
  });
});

describe('the member role template with self-enrolment', () => {
  it('lets the role create only its own access entry and associate only AmazonEKSViewPolicy at cluster scope', () => {
    // Prepare
    const template = memberRoleTemplate({ roleName: 'reader', trustedRoleArns: ['arn:aws:iam::111122223333:role/plan'], hubAccount: '111122223333', selfEnrolment: true });

    // Act
    const statements = (template.Resources as any).MemberRole.Properties.Policies[0].PolicyDocument.Statement as Array<Record<string, any>>;

    // Assess
    const create = statements.find((statement) => statement.Action === 'eks:CreateAccessEntry')!;
    const associate = statements.find((statement) => statement.Action === 'eks:AssociateAccessPolicy')!;
    expect(create.Condition.ArnEquals).toEqual({ 'eks:principalArn': { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/reader' } });
    expect(create.Condition['ForAllValues:StringEquals']).toEqual({ 'eks:kubernetesGroups': ['eks-netpol-auditor'] });
    expect(associate.Resource).toEqual({ 'Fn::Sub': 'arn:${AWS::Partition}:eks:*:${AWS::AccountId}:access-entry/*/role/${AWS::AccountId}/reader/*' });
    expect(associate.Condition.StringEquals).toEqual({
      'eks:policyArn': { 'Fn::Sub': 'arn:${AWS::Partition}:eks::aws:cluster-access-policy/AmazonEKSViewPolicy' },
      'eks:accessScope': 'cluster',
    });
  });
});

describe('organization mode', () => {
  let stack: OrganizationStack;
  let template: Template;
  beforeAll(() => {
    ({ stack, template } = synthOrganization({ organizationId: 'o-abcdefghij' }));
  });

  it('is its own stack, chosen by the mode, while the default stays the single-account stack', () => {
    // Act
    const byDefault = buildAuditorApp(testApp(), TEST_ENV);

    // Assess
    expect(byDefault).toBeInstanceOf(AuditorStack);
    expect(byDefault.stackName).toBe(STACK_NAME);
    expect(stack.stackName).toBe(ORGANIZATION_STACK_NAME);
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', { StateMachineType: 'STANDARD', TracingConfiguration: { Enabled: true } });
  });

  it('grants no wildcard action anywhere', () => {
    // Act
    const wildcards = statementsOf(template).flatMap(({ statement }) => actionsOf(statement).filter((action) => action.includes('*')));

    // Assess
    expect(wildcards).toEqual([]);
  });

  it('lets only the plan and audit roles assume the member role, only in the organization', () => {
    // Prepare
    const roleIds = [logicalId(stack, stack.functions.plan.role!), logicalId(stack, stack.functions.auditBatch.role!)];

    // Act
    const assuming = statementsOf(template).filter(({ statement }) => actionsOf(statement).includes('sts:AssumeRole'));

    // Assess
    expect(assuming).toHaveLength(2);
    for (const { policy, statement } of assuming) {
      expect(actionsOf(statement)).toEqual(['sts:AssumeRole']);
      expect(statement.Resource).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::*:role/eks-netpol-auditor-member']] });
      expect(statement.Condition).toEqual({ StringEquals: { 'aws:ResourceOrgID': 'o-abcdefghij' } });
      const roles = template.findResources('AWS::IAM::Policy')[policy]!.Properties.Roles as Array<{ Ref: string }>;
      expect(roleIds).toContain(roles[0]!.Ref);
    }
  });

  it('deploys the member role with a service-managed StackSet that follows new accounts', () => {
    // Act
    const [stackSet] = Object.values(template.findResources('AWS::CloudFormation::StackSet'));

    // Assess
    expect(stackSet!.Properties).toMatchObject({
      PermissionModel: 'SERVICE_MANAGED',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      CallAs: 'SELF',
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      StackInstancesGroup: [{ DeploymentTargets: { OrganizationalUnitIds: ['r-ab12'] }, Regions: [TEST_ENV.region] }],
    });
  });

  it('creates no member role in the hub account unless asked: the StackSet deploys it elsewhere', () => {
    // Act
    const roles = Object.values(template.findResources('AWS::IAM::Role')).map((role) => role.Properties.RoleName);

    // Assess
    expect(roles).not.toContain('eks-netpol-auditor-member');
  });

  it('with memberRoleInHub creates the member role in the hub account too, as the StackSet template writes it', () => {
    // Prepare
    const { stack: hub, template: withRole } = synthOrganization({ memberRoleInHub: 'true', memberSelfEnrolment: 'true' });
    const trusted = [hub.functions.plan.role!, hub.functions.auditBatch.role!].map((role) => ({ 'Fn::GetAtt': [logicalId(hub, role), 'Arn'] }));

    // Act
    const [role, ...others] = Object.values(withRole.findResources('AWS::IAM::Role', { Properties: { RoleName: 'eks-netpol-auditor-member' } }));

    // Assess
    expect(others).toEqual([]);
    const member = memberRoleTemplate({ roleName: 'eks-netpol-auditor-member', trustedRoleArns: [], hubAccount: 'unused', selfEnrolment: true }) as any;
    expect(role!.Properties.Policies).toEqual(member.Resources.MemberRole.Properties.Policies);
    expect(role!.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Sid: 'HubRolesOnly',
        Effect: 'Allow',
        Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' } },
        Action: 'sts:AssumeRole',
        Condition: { ArnEquals: { 'aws:PrincipalArn': trusted } },
      },
    ]);
    const assume = statementsOf(withRole).find(({ statement }) => actionsOf(statement).includes('sts:AssumeRole'))!.statement;
    expect(JSON.stringify(assume.Resource)).toContain(':iam::*:role/eks-netpol-auditor-member');
  });

  it('builds the member template from the hub\'s plan and audit role ARNs', () => {
    // Prepare
    const [stackSet] = Object.values(template.findResources('AWS::CloudFormation::StackSet'));

    // Act
    const [, parts] = stackSet!.Properties.TemplateBody['Fn::Join'] as [string, unknown[]];

    // Assess
    const roles = parts.filter((part) => typeof part === 'object');
    expect(roles).toEqual([
      { 'Fn::GetAtt': [logicalId(stack, stack.functions.plan.role!), 'Arn'] },
      { 'Fn::GetAtt': [logicalId(stack, stack.functions.auditBatch.role!), 'Arn'] },
    ]);
  });

  it('names the member role as configured, in the hub policies and in the template', () => {
    // Act
    const { template: renamed } = synthOrganization({ memberRoleName: 'netpol-reader' });

    // Assess
    const assume = statementsOf(renamed).find(({ statement }) => actionsOf(statement).includes('sts:AssumeRole'))!.statement;
    expect(JSON.stringify(assume.Resource)).toContain(':iam::*:role/netpol-reader');
    expect(assume.Condition).toBeUndefined();
    renamed.hasResourceProperties('AWS::CloudFormation::StackSet', { TemplateBody: Match.anyValue(), StackSetName: 'netpol-reader-role' });
  });

  it('lets the batches keep each cluster history as the single-account function does, and read the suppressions object', () => {
    // Prepare
    const { stack: withKey, template: keyed } = synthOrganization({ suppressionsKey: 'config/suppressions.yaml' });
    const bucket = logicalId(withKey, withKey.store.bucket);
    const objects = (path: string) => ({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket, 'Arn'] }, path]] });
    const ofRole = (fn: { role?: unknown }) =>
      statementsOf(keyed)
        .filter(({ policy }) => (keyed.findResources('AWS::IAM::Policy')[policy]!.Properties.Roles as Array<{ Ref: string }>)[0]!.Ref === logicalId(withKey, fn.role as never))
        .map(({ statement }) => statement);

    // Act
    const batch = ofRole(withKey.functions.auditBatch);
    const report = ofRole(withKey.functions.report);

    // Assess
    expect(batch).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Action: 's3:PutObject', Resource: [objects('/findings/*'), objects('/state/*')] }),
        expect.objectContaining({ Action: 's3:GetObject', Resource: [objects('/findings/*'), objects('/state/*'), objects('/config/suppressions.yaml')] }),
        expect.objectContaining({ Action: 's3:ListBucket', Resource: { 'Fn::GetAtt': [bucket, 'Arn'] } }),
      ]),
    );
    expect(ofRole(withKey.functions.recordFailure)).toEqual(expect.arrayContaining([expect.objectContaining({ Action: 's3:PutObject', Resource: [objects('/findings/*'), objects('/state/*')] })]));
    expect(report).toEqual(expect.arrayContaining([expect.objectContaining({ Action: 's3:GetObject', Resource: expect.arrayContaining([objects('/config/suppressions.yaml')]) })]));
    keyed.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.auditBatch',
      Environment: { Variables: Match.objectLike({ SUPPRESSIONS_FILE: 'suppressions.yaml', SUPPRESSIONS_KEY: 'config/suppressions.yaml', ALERT_ON: 'new' }) },
    });
  });

  it('alarms on the run metrics the report emits: no successful run within the window, an alert not delivered', () => {
    // Act
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((resource) => resource.Properties);
    const byMetric = (name: string) => alarms.find((alarm) => alarm.MetricName === name);

    // Assess
    expect(byMetric(RunMetric.SuccessfulRuns)).toMatchObject({
      Namespace: 'EksNetpolAuditor',
      Dimensions: [{ Name: 'service', Value: 'eks-netpol-auditor-organization' }],
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
    expect(byMetric(RunMetric.AlertFailures)).toMatchObject({
      Namespace: 'EksNetpolAuditor',
      Dimensions: [{ Name: 'service', Value: 'eks-netpol-auditor-organization' }],
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
    expect(alarms).toHaveLength(4);
  });

  it('starts one execution per scheduled event through the start function, named after the run', () => {
    // Act
    const rules = template.findResources('AWS::Events::Rule');

    // Assess
    const [rule] = Object.values(rules);
    expect(rule!.Properties.ScheduleExpression).toBe('rate(1 day)');
    expect(rule!.Properties.Targets[0].Arn).toEqual({ 'Fn::GetAtt': [logicalId(stack, stack.functions.start), 'Arn'] });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.start',
      Environment: { Variables: Match.objectLike({ STATE_MACHINE_ARN: { Ref: logicalId(stack, stack.run.stateMachine) } }) },
    });
  });
});
