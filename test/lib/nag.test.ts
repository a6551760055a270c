import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Stack, Validations, type App } from 'aws-cdk-lib';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildAuditorApp } from '../../lib/auditor-app.js';
import { ORGANIZATION_CONTEXT, TEST_ENV, testApp } from './support/auditor-app.js';

const PRIVATE_NETWORK = { vpcId: 'vpc-0123456789abcdef0', subnetIds: 'subnet-0123456789abcdef0' };
const CONFIGURATIONS: Array<[string, Record<string, unknown>]> = [
  ['the defaults', {}],
  ['two regions, e-mails and access entries', { regions: 'eu-west-1,us-east-2', alertEmails: 'a@example.com', grantClusters: 'prod' }],
  ['a private network', PRIVATE_NETWORK],
  ['organization mode', ORGANIZATION_CONTEXT],
  ['organization mode within one organization and unit', { ...ORGANIZATION_CONTEXT, organizationId: 'o-abcdefghij', organizationalUnits: 'ou-ab12-cdefgh34' }],
];

interface Acknowledgement {
  id: string;
  reason: string;
}

/** Builds the stack while recording, instead of applying, every acknowledgement it makes. */
function buildWithoutAcknowledgements(context: Record<string, unknown>): { stack: Stack; app: App; acknowledged: Acknowledgement[] } {
  const acknowledged: Acknowledgement[] = [];
  const original = Validations.prototype.acknowledge;
  Validations.prototype.acknowledge = function record(...rules) {
    acknowledged.push(...rules.map(({ id, reason }) => ({ id, reason })));
  };
  try {
    const app = testApp(context);
    return { stack: buildAuditorApp(app, TEST_ENV), app, acknowledged };
  } finally {
    Validations.prototype.acknowledge = original;
  }
}

describe('cdk-nag AwsSolutions', () => {
  it.each(CONFIGURATIONS)('finds nothing unacknowledged in the stack built with %s', (_, context) => {
    // Prepare
    const app = testApp(context);
    const stack = buildAuditorApp(app, TEST_ENV);

    // Act
    const report = new AwsSolutionsChecks(app).validateScope(stack);

    // Assess
    expect(report.violations).toEqual([]);
    expect(report.success).toBe(true);
  });

  it.each(CONFIGURATIONS)('is acknowledged exactly where it reports, with a reason, for %s', (_, context) => {
    // Prepare
    const { app, stack, acknowledged } = buildWithoutAcknowledgements(context);

    // Act
    const reported = new AwsSolutionsChecks(app).validateScope(stack).violations.map((violation) => violation.ruleName);

    // Assess
    const ours = acknowledged.filter(({ id }) => id.startsWith('AwsSolutions-'));
    // One id may be acknowledged on two scopes (a "*" in two roles), each where it is reported.
    expect([...new Set(ours.map(({ id }) => id))].sort()).toEqual([...new Set(reported)].sort());
    for (const { reason } of ours) expect(reason.length).toBeGreaterThan(30);
  });

  it('fails synth on a finding nobody acknowledged', () => {
    // Prepare
    const app = testApp();
    buildAuditorApp(app, TEST_ENV);
    const tiny = new Stack(app, 'Tiny', { env: TEST_ENV });
    new Bucket(tiny, 'PlainBucket');

    // Act
    const synth = () => app.synth();

    // Assess
    expect(synth).toThrow('AwsSolutions-S10');
    const report = JSON.parse(readFileSync(join(app.outdir, 'validation-report.json'), 'utf8'));
    const violations = report.pluginReports.flatMap((plugin: { violations: unknown[] }) => plugin.violations);
    const paths = violations.flatMap((violation: { violatingConstructs: Array<{ constructPath: string }> }) =>
      violation.violatingConstructs.map(({ constructPath }) => constructPath),
    );
    expect(violations.map((violation: { ruleName: string }) => violation.ruleName)).toEqual(
      expect.arrayContaining(['AwsSolutions-S1', 'AwsSolutions-S10']),
    );
    expect(paths.every((path: string) => path.startsWith('Tiny/PlainBucket'))).toBe(true);
  });
});
