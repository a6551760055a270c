/**
 * Builds the app the way `cdk synth` and the tests both need it: settings from context, one stack in the CLI's
 * account and region, and the AwsSolutions cdk-nag checks, whose unacknowledged errors fail synth.
 */
import { Validations, type App, type Environment } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AuditorStack } from './auditor-stack.js';
import { OrganizationStack } from './organization-stack.js';
import { DEFAULT_STACK_NAMES, readSettings } from './settings.js';

/** The single-account stack's name in CloudFormation unless `stackName` says otherwise. */
export const STACK_NAME = DEFAULT_STACK_NAMES.account;

/**
 * Where the stack is synthesized when the CLI has no credentials (offline synth, CI). A deploy always has
 * credentials, so the CLI sets CDK_DEFAULT_ACCOUNT/REGION and these placeholders never reach CloudFormation.
 */
export const OFFLINE_ENVIRONMENT = { account: '123456789012', region: 'eu-west-1' } as const;

/** The account and region the CLI resolved, else the offline placeholders. */
function deploymentEnvironment(env: Record<string, string | undefined> = process.env): Required<Environment> {
  return {
    account: env.CDK_DEFAULT_ACCOUNT || OFFLINE_ENVIRONMENT.account,
    region: env.CDK_DEFAULT_REGION || OFFLINE_ENVIRONMENT.region,
  };
}

/** The organization-mode stack's default name: another stack, so switching modes never replaces the account's own. */
export const ORGANIZATION_STACK_NAME = DEFAULT_STACK_NAMES.organization;

/**
 * Adds the auditor stack — the single-account one, or with `-c mode=organization` the organization one — and the
 * cdk-nag checks to `app`; throws SettingsError for invalid context.
 */
export function buildAuditorApp(app: App, env: Environment = deploymentEnvironment()): AuditorStack | OrganizationStack {
  const settings = readSettings((key) => app.node.tryGetContext(key));
  const description = 'EKS network-policy auditor (CIS EKS "Ensure Network Policy is Enabled", Kubescape C-0230)';
  const { organization } = settings;
  const stack = organization
    ? new OrganizationStack(app, settings.names.stackName, { env, settings: { ...settings, organization }, description: `${description}, organization-wide` })
    : new AuditorStack(app, settings.names.stackName, { env, settings, description });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
}
