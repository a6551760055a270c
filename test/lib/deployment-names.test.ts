/**
 * Two deployments in one account and region: stacks built in one app from different settings (a production and a
 * staging single-account stack; the single-account and the organization stack of a management account) name nothing
 * alike. A resource with an explicit name keeps it; one without is named by CloudFormation after its stack and
 * logical id, so it is unique when the stack names are. Their metric alarms watch only their own functions' series.
 */
import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AuditorStack } from '../../lib/auditor-stack.js';
import { OrganizationStack } from '../../lib/organization-stack.js';
import { readSettings } from '../../lib/settings.js';
import { cdkJsonContext, ORGANIZATION_CONTEXT, TEST_ENV, testApp } from './support/auditor-app.js';

/** Two stacks synthesize in seconds, many more on a machine the whole team shares: a cap, not a speed assertion. */
const SYNTH_TIMEOUT_MS = 300_000;

/** Where each resource type that must be unique in an account and region keeps its name. */
const NAME_PROPERTY: Record<string, (properties: Record<string, any>) => unknown> = {
  'AWS::S3::Bucket': (properties) => properties.BucketName,
  'AWS::Lambda::Function': (properties) => properties.FunctionName,
  'AWS::IAM::Role': (properties) => properties.RoleName,
  'AWS::Logs::LogGroup': (properties) => properties.LogGroupName,
  'AWS::SNS::Topic': (properties) => properties.TopicName,
  'AWS::SQS::Queue': (properties) => properties.QueueName,
  'AWS::CloudWatch::Alarm': (properties) => properties.AlarmName,
  'AWS::KMS::Alias': (properties) => properties.AliasName,
  'AWS::Events::Rule': (properties) => properties.Name,
  'AWS::Glue::Database': (properties) => properties.DatabaseInput?.Name,
  'AWS::Athena::WorkGroup': (properties) => properties.Name,
  'AWS::StepFunctions::StateMachine': (properties) => properties.StateMachineName,
  'AWS::CloudFormation::StackSet': (properties) => properties.StackSetName,
};

/** Each uniquely named resource of `stack` with its physical name: explicit, or the one CloudFormation generates. */
function physicalNames(stack: Stack, template: Template): Array<{ type: string; name: string }> {
  return Object.entries(template.toJSON().Resources as Record<string, { Type: string; Properties?: Record<string, any> }>).flatMap(([id, resource]) => {
    const nameOf = NAME_PROPERTY[resource.Type];
    if (!nameOf) return [];
    const given = nameOf(resource.Properties ?? {});
    return [{ type: resource.Type, name: typeof given === 'string' ? given : `generated from ${stack.stackName}/${id}` }];
  });
}

/** The `service` values the stack's custom-metric alarms and its functions' Powertools use. */
function services(template: Template): { alarms: string[]; functions: string[] } {
  const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'))
    .flatMap((alarm) => (alarm.Properties.Dimensions ?? []) as Array<{ Name: string; Value: string }>)
    .filter((dimension) => dimension.Name === 'service')
    .map((dimension) => dimension.Value);
  const functions = Object.values(template.findResources('AWS::Lambda::Function')).map(
    (fn) => fn.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME as string,
  );
  return { alarms: [...new Set(alarms)], functions: [...new Set(functions)] };
}

/** Builds each deployment's stack, from cdk.json's context plus its overrides, into one app. */
function oneApp(...deployments: Array<Record<string, unknown>>): Array<{ stack: Stack; template: Template }> {
  const app = testApp();
  const stacks = deployments.map((overrides): Stack => {
    const context = { ...cdkJsonContext(), ...overrides };
    const settings = readSettings((key) => context[key]);
    return settings.organization
      ? new OrganizationStack(app, settings.names.stackName, { env: TEST_ENV, settings: { ...settings, organization: settings.organization } })
      : new AuditorStack(app, settings.names.stackName, { env: TEST_ENV, settings });
  });
  // Synthesized once the app holds every stack, as `cdk synth` does.
  return stacks.map((stack) => ({ stack, template: Template.fromStack(stack) }));
}

describe('two deployments in one account and region', () => {
  it.each([
    ['a production and a staging single-account stack', [{}, { stackName: 'EksNetpolAuditorStaging' }]],
    ['the single-account and the organization stack of a management account', [{}, ORGANIZATION_CONTEXT]],
    ['two single-account stacks with explicit database and workgroup', [{ stackName: 'AuditA', glueDatabase: 'audit_a', athenaWorkGroup: 'audit-a' }, { stackName: 'AuditB', glueDatabase: 'audit_b', athenaWorkGroup: 'audit-b' }]],
  ])('%s share no physical name and no metric series', (_, deployments) => {
    // Act
    const [first, second] = oneApp(...(deployments as Array<Record<string, unknown>>));

    // Assess
    const names = [first!, second!].flatMap(({ stack, template }) => physicalNames(stack, template)).map(({ type, name }) => `${type} ${name}`);
    expect(names.filter((name, index) => names.indexOf(name) !== index)).toEqual([]);
    expect(names.filter((name) => name.startsWith('AWS::Glue::Database '))).toHaveLength(2);
    expect(names.filter((name) => name.startsWith('AWS::Athena::WorkGroup '))).toHaveLength(2);
    const [a, b] = [services(first!.template), services(second!.template)];
    expect(a.alarms).toEqual(a.functions);
    expect(b.alarms).toEqual(b.functions);
    expect(a.alarms).toHaveLength(1);
    expect(a.alarms).not.toEqual(b.alarms);
  }, SYNTH_TIMEOUT_MS);

  it('points each stack table, saved queries and functions at its own database and workgroup', () => {
    // Act
    const [, staging] = oneApp({}, { stackName: 'EksNetpolAuditorStaging' });

    // Assess
    const { template } = staging!;
    template.hasResourceProperties('AWS::Glue::Table', { DatabaseName: 'eks_netpol_auditor_staging' });
    const queries = Object.values(template.findResources('AWS::Athena::NamedQuery')).map((query) => query.Properties);
    expect(queries.length).toBeGreaterThan(0);
    for (const query of queries) {
      expect(query).toMatchObject({ Database: 'eks_netpol_auditor_staging', WorkGroup: 'eks-netpol-auditor-staging' });
      expect(query.QueryString).toContain('eks_netpol_auditor_staging.findings');
    }
    const variables = Object.values(template.findResources('AWS::Lambda::Function')).map((fn) => fn.Properties.Environment.Variables);
    expect(variables[0]).toMatchObject({ ATHENA_DATABASE: 'eks_netpol_auditor_staging', ATHENA_WORKGROUP: 'eks-netpol-auditor-staging' });
  }, SYNTH_TIMEOUT_MS);
});
