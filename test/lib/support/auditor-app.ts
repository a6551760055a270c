/**
 * Builds the real auditor app for tests: the context of cdk.json (so its defaults are what is tested), overrides on
 * top, a fixed account and region, and no bundling (the spawned `cdk synth` test bundles for real; skipping it here
 * keeps each template a second or two).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { BUNDLING_STACKS } from 'aws-cdk-lib/cx-api';
import { buildAuditorApp } from '../../../lib/auditor-app.js';
import { AuditorStack } from '../../../lib/auditor-stack.js';
import { OrganizationStack } from '../../../lib/organization-stack.js';
import { PROJECT_ROOT } from '../../../lib/handler-bundle.js';

/** The account and region every test stack is synthesized for. */
export const TEST_ENV = { account: '111122223333', region: 'eu-west-1' } as const;

/** The `context` object of cdk.json, as the CLI would pass it. */
export function cdkJsonContext(): Record<string, unknown> {
  return JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')).context;
}

/** A test App with cdk.json's context plus `overrides` (CLI-style `-c` values are strings). */
export function testApp(overrides: Record<string, unknown> = {}): App {
  return new App({ context: { ...cdkJsonContext(), [BUNDLING_STACKS]: [], ...overrides } });
}

/** The real stack built from `overrides`, and its synthesized template (synth runs cdk-nag, as `cdk synth` does). */
export function synthAuditor(overrides: Record<string, unknown> = {}): { stack: AuditorStack; template: Template } {
  const stack = buildAuditorApp(testApp(overrides), TEST_ENV);
  if (!(stack instanceof AuditorStack)) throw new Error('the context selected organization mode, not the single-account stack');
  return { stack, template: Template.fromStack(stack) };
}

/** The context that selects organization mode with the least a user must give: the root to deploy the member role to. */
export const ORGANIZATION_CONTEXT = { mode: 'organization', memberRoleTargets: 'r-ab12' } as const;

/** The organization stack built from {@link ORGANIZATION_CONTEXT} and `overrides`, and its synthesized template. */
export function synthOrganization(overrides: Record<string, unknown> = {}): { stack: OrganizationStack; template: Template } {
  const stack = buildAuditorApp(testApp({ ...ORGANIZATION_CONTEXT, ...overrides }), TEST_ENV);
  if (!(stack instanceof OrganizationStack)) throw new Error('the context did not select organization mode');
  return { stack, template: Template.fromStack(stack) };
}

/** The logical id CloudFormation knows `construct`'s resource by (its default child for L2 constructs). */
export function logicalId(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
  const resource = (construct.node.defaultChild ?? construct) as Parameters<Stack['getLogicalId']>[0];
  return stack.getLogicalId(resource);
}
