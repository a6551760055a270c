/**
 * Builds the app the way `cdk synth` and the tests both need it: settings from context, one stack in the CLI's
 * account and region, and the AwsSolutions cdk-nag checks, whose unacknowledged errors fail synth.
 */
import { Validations, type App, type Environment } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AuditorStack } from './auditor-stack.js';
import { readSettings } from './settings.js';

/** The stack's name in CloudFormation. */
export const STACK_NAME = 'EksNetpolAuditor';

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

/** Adds the auditor stack and the cdk-nag checks to `app`; throws SettingsError for invalid context. */
export function buildAuditorApp(app: App, env: Environment = deploymentEnvironment()): AuditorStack {
  const settings = readSettings((key) => app.node.tryGetContext(key));
  const stack = new AuditorStack(app, STACK_NAME, {
    env,
    settings,
    description: 'EKS network-policy auditor (CIS EKS "Ensure Network Policy is Enabled", Kubescape C-0230)',
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
}
