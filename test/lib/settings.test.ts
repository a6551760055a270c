import { join } from 'node:path';
import { DEFAULT_EXCLUDED_NAMESPACES } from '../../lambda/audit/finding.js';
import { PROJECT_ROOT } from '../../lib/handler-bundle.js';
import { buildAuditorApp } from '../../lib/auditor-app.js';
import { readSettings, SettingsError, type ContextKey } from '../../lib/settings.js';
import { cdkJsonContext, TEST_ENV, testApp } from './support/auditor-app.js';

/** Settings read from cdk.json's context with `overrides` on top, as `cdk synth -c key=value` would. */
function settingsWith(overrides: Record<string, unknown>) {
  const context = { ...cdkJsonContext(), ...overrides };
  return readSettings((key: ContextKey) => context[key]);
}

describe('readSettings', () => {
  it('reads the defaults cdk.json documents', () => {
    // Act
    const settings = settingsWith({});

    // Assess
    expect(settings).toEqual({
      names: { stackName: 'EksNetpolAuditor', glueDatabase: 'eks_netpol_auditor', athenaWorkGroup: 'eks-netpol-auditor', serviceName: 'eks-netpol-auditor' },
      schedule: 'rate(1 day)',
      staleness: { periodMinutes: 1440, evaluationPeriods: 2 },
      alertEmails: [],
      regions: [],
      clusterInclude: [],
      clusterExclude: [],
      grantClusters: [],
      excludedNamespaces: [...DEFAULT_EXCLUDED_NAMESPACES],
      alertThreshold: 'Medium',
      auditConcurrency: 4,
      clusterTimeoutSeconds: 180,
      retentionDays: 365,
      memorySize: 1536,
      timeoutSeconds: 600,
      network: undefined,
      alertOn: 'new',
      suppressionsFile: join(PROJECT_ROOT, 'suppressions.yaml'),
      securityHub: false,
      maxBodyMib: 64,
    });
  });

  it('uses the same defaults when the context has none of its keys', () => {
    // Act
    const settings = readSettings(() => undefined);

    // Assess
    expect(settings).toEqual(settingsWith({}));
  });

  it('reads comma-separated -c values and cdk.json lists alike', () => {
    // Act
    const fromCli = settingsWith({ regions: ' eu-west-1, us-east-2 ,', alertEmails: 'a@example.com,b@example.org' });
    const fromJson = settingsWith({ regions: ['eu-west-1', 'us-east-2'], alertEmails: ['a@example.com', 'b@example.org'] });

    // Assess
    expect(fromCli.regions).toEqual(['eu-west-1', 'us-east-2']);
    expect(fromCli.alertEmails).toEqual(['a@example.com', 'b@example.org']);
    expect(fromJson).toEqual(fromCli);
  });

  it('reads an empty excludedNamespaces as strict CIS, not as the defaults', () => {
    // Act
    const settings = settingsWith({ excludedNamespaces: '' });

    // Assess
    expect(settings.excludedNamespaces).toEqual([]);
  });

  it('reads numbers given as CLI strings', () => {
    // Act
    const settings = settingsWith({ retentionDays: '30', memorySize: '2048', timeout: '900', auditConcurrency: '8', maxBodyMib: '256' });

    // Assess
    expect(settings).toMatchObject({ retentionDays: 30, memorySize: 2048, timeoutSeconds: 900, auditConcurrency: 8, maxBodyMib: 256 });
  });

  it('derives the staleness window from the schedule', () => {
    // Act
    const settings = settingsWith({ schedule: 'rate(6 hours)' });

    // Assess
    expect(settings.staleness).toEqual({ periodMinutes: 720, evaluationPeriods: 1 });
  });

  it('reads the private network of the function', () => {
    // Act
    const settings = settingsWith({
      vpcId: 'vpc-0123456789abcdef0',
      subnetIds: 'subnet-0123456789abcdef0,subnet-0fedcba9876543210',
      securityGroupIds: 'sg-0123456789abcdef0',
    });

    // Assess
    expect(settings.network).toEqual({
      vpcId: 'vpc-0123456789abcdef0',
      subnetIds: ['subnet-0123456789abcdef0', 'subnet-0fedcba9876543210'],
      securityGroupIds: ['sg-0123456789abcdef0'],
    });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['an e-mail without domain', { alertEmails: 'ok@example.com,me@' }, "context alertEmails: 'me@' is not an e-mail address"],
    ['a schedule EventBridge rejects', { schedule: 'rate(1 days)' }, 'context schedule: rate(1 days) needs "day"'],
    ['a schedule too rare to watch', { schedule: 'rate(4 days)' }, 'context schedule: runs every 4 days'],
    ['a region name that is not one', { regions: 'eu-west-1,europe' }, 'context regions: AUDIT_REGIONS has "europe"'],
    ['a cluster pattern with a slash', { clusterInclude: 'prod/*' }, 'context clusterInclude: CLUSTER_INCLUDE has "prod/*"'],
    ['an exclude pattern with a space', { clusterExclude: 'dev cluster' }, 'context clusterExclude: CLUSTER_EXCLUDE has'],
    ['an unknown severity', { alertThreshold: 'High' }, 'context alertThreshold: ALERT_THRESHOLD is "High"'],
    ['too much concurrency', { auditConcurrency: 64 }, 'context auditConcurrency: AUDIT_CONCURRENCY is "64"'],
    ['a cluster deadline longer than Lambda allows', { clusterTimeout: 901 }, 'context clusterTimeout: CLUSTER_TIMEOUT_SECONDS is "901"'],
    ['a concurrency that is no number', { auditConcurrency: 'four' }, "context auditConcurrency: 'four' is not a whole number"],
    ['a cluster name EKS rejects', { grantClusters: 'prod,-bad' }, "context grantClusters: '-bad' is not an EKS cluster name"],
    ['a retention of zero days', { retentionDays: 0 }, "context retentionDays: '0' is not a whole number at least 1"],
    ['a fractional retention', { retentionDays: '1.5' }, "context retentionDays: '1.5' is not a whole number"],
    ['memory above the Lambda maximum', { memorySize: 20000 }, "context memorySize: '20000' is not a whole number from 128 to 10240"],
    ['a timeout above 15 minutes', { timeout: 901 }, "context timeout: '901' is not a whole number from 1 to 900"],
    ['a schedule that is not a string', { schedule: 7 }, 'context schedule: expected a string, got 7'],
    ['a list of non-strings', { regions: [1, 2] }, 'context regions: expected a comma-separated string or a list'],
    ['subnets without their VPC', { subnetIds: 'subnet-0123456789abcdef0' }, 'context vpcId: required when subnetIds'],
    ['a VPC without subnets', { vpcId: 'vpc-0123456789abcdef0' }, 'context subnetIds: required when vpcId is set'],
    ['a malformed VPC id', { vpcId: 'vpc-xyz', subnetIds: 'subnet-0123456789abcdef0' }, "context vpcId: 'vpc-xyz' is not a VPC id"],
    ['a malformed subnet id', { subnetIds: 'subnet-1' }, "context subnetIds: 'subnet-1' is not a subnet id"],
    ['a malformed security group', { securityGroupIds: 'default' }, "context securityGroupIds: 'default' is not a security group id"],
    ['an unknown alertOn', { alertOn: 'changes' }, 'context alertOn: ALERT_ON is "changes"; expected one of new, all'],
    ['a suppressions file that is not there', { suppressionsFile: 'no-such.yaml' }, 'context suppressionsFile: no-such.yaml: no such file'],
    [
      'a suppression entry without expiry',
      { suppressionsFile: 'test/lib/fixtures/suppressions-without-expiry.yaml' },
      'context suppressionsFile: test/lib/fixtures/suppressions-without-expiry.yaml: entry 1 (namespace analytics): no expires',
    ],
    ['a securityHub that is not a boolean', { securityHub: 'yes' }, 'context securityHub: expected true or false, got "yes"'],
    ['a body limit of no MiB', { maxBodyMib: 0 }, "context maxBodyMib: '0' is not a whole number from 1 to 1024"],
    [
      'a cluster deadline that does not fit in the function timeout',
      { clusterTimeout: 300, timeout: 300 },
      'context clusterTimeout: CLUSTER_TIMEOUT_SECONDS is "300": it must be below the function timeout (300 s) less the 30 s kept to store and alert; expected at most 269, or a longer timeout',
    ],
    ['a function timeout the default cluster deadline does not fit in', { timeout: 120 }, 'context clusterTimeout: CLUSTER_TIMEOUT_SECONDS is "180": it must be below the function timeout (120 s)'],
    ['a suppressions key with a leading slash', { suppressionsKey: '/s.yaml' }, 'context suppressionsKey: SUPPRESSIONS_KEY is "/s.yaml"'],
  ])('rejects %s, naming the context key', (_, overrides, message) => {
    // Act
    const read = () => settingsWith(overrides);

    // Assess
    expect(read).toThrow(SettingsError);
    expect(read).toThrow(message);
  });

  it('stops building the app on a bad context value, before any construct exists', () => {
    // Prepare
    const app = testApp({ alertEmails: 'me@' });

    // Act
    const build = () => buildAuditorApp(app, TEST_ENV);

    // Assess
    expect(build).toThrow("context alertEmails: 'me@' is not an e-mail address");
    expect(app.node.children).toHaveLength(0);
  });
});

describe('readSettings in organization mode', () => {
  it('reads organization mode with its defaults, deploying the member role to the given root', () => {
    // Act
    const settings = settingsWith({ mode: 'organization', memberRoleTargets: 'r-ab12' });

    // Assess
    expect(settings.organization).toEqual({
      memberRoleName: 'eks-netpol-auditor-member',
      organizationalUnits: [],
      memberRoleTargets: ['r-ab12'],
      stackSetCallAs: 'SELF',
      mapConcurrency: 40,
      clustersPerBatch: 4,
      memberSelfEnrolment: false,
      memberRoleInHub: false,
    });
  });

  it('deploys the member role to the audited units when no target is named', () => {
    // Act
    const settings = settingsWith({ mode: 'organization', organizationalUnits: 'ou-ab12-cdefgh34', organizationId: 'o-abcdefghij' });

    // Assess
    expect(settings.organization).toMatchObject({ organizationalUnits: ['ou-ab12-cdefgh34'], memberRoleTargets: ['ou-ab12-cdefgh34'], organizationId: 'o-abcdefghij' });
  });

  it('leaves the single-account settings as they were by default', () => {
    // Act
    const settings = settingsWith({});

    // Assess
    expect(settings.organization).toBeUndefined();
  });

  it.each([
    [{ mode: 'everything' }, "context mode: 'everything' is not one of account, organization"],
    [{ mode: 'organization' }, 'context memberRoleTargets: organization mode needs the root id'],
    [{ mode: 'organization', memberRoleTargets: 'root' }, "context memberRoleTargets: 'root' is not an organizational unit or root id"],
    [{ mode: 'organization', memberRoleTargets: 'r-ab12', organizationId: 'acme' }, "context organizationId: 'acme' is not an organization id (o-…)"],
    [{ mode: 'organization', memberRoleTargets: 'r-ab12', memberRoleName: 'has space' }, 'context memberRoleName: MEMBER_ROLE_NAME is "has space", which is not an IAM role name'],
    [{ mode: 'organization', memberRoleTargets: 'r-ab12', stackSetCallAs: 'ADMIN' }, "context stackSetCallAs: 'ADMIN' is not one of SELF, DELEGATED_ADMIN"],
    [{ mode: 'organization', memberRoleTargets: 'r-ab12', mapConcurrency: '0' }, "context mapConcurrency: '0' is not a whole number from 1 to 10000"],
    [{ mode: 'organization', memberRoleTargets: 'r-ab12', memberSelfEnrolment: 'yes' }, 'context memberSelfEnrolment: expected true or false, got "yes"'],
  ])('refuses %j naming the key', (context, message) => {
    // Act
    const reading = () => settingsWith(context);

    // Assess
    expect(reading).toThrow(SettingsError);
    expect(reading).toThrow(message);
  });
});

describe('deployment names', () => {
  it('derive the database, workgroup and service from the stack name unless given', () => {
    // Act
    const derived = settingsWith({ stackName: 'EksNetpolAuditor-Staging' }).names;
    const given = settingsWith({ stackName: 'AuditTest2', glueDatabase: 'audit_test', athenaWorkGroup: 'audit.test' }).names;

    // Assess
    expect(derived).toEqual({ stackName: 'EksNetpolAuditor-Staging', glueDatabase: 'eks_netpol_auditor_staging', athenaWorkGroup: 'eks-netpol-auditor-staging', serviceName: 'eks-netpol-auditor-staging' });
    expect(given).toEqual({ stackName: 'AuditTest2', glueDatabase: 'audit_test', athenaWorkGroup: 'audit.test', serviceName: 'audit-test2' });
  });

  it('give organization mode its own defaults, apart from the single-account stack', () => {
    // Act
    const names = settingsWith({ mode: 'organization', memberRoleTargets: 'r-abcd' }).names;

    // Assess
    expect(names).toEqual({
      stackName: 'EksNetpolAuditorOrganization',
      glueDatabase: 'eks_netpol_auditor_organization',
      athenaWorkGroup: 'eks-netpol-auditor-organization',
      serviceName: 'eks-netpol-auditor-organization',
    });
  });

  it.each([
    ['stackName', '9lives', "context stackName: '9lives' is not a stack name"],
    ['stackName', 'has_underscore', "context stackName: 'has_underscore' is not a stack name"],
    ['glueDatabase', 'Findings-DB', 'context glueDatabase: ATHENA_DATABASE is "Findings-DB"; expected a Glue database name'],
    ['athenaWorkGroup', 'work group', 'context athenaWorkGroup: ATHENA_WORKGROUP is "work group"; expected an Athena workgroup name'],
  ])('refuse a bad %s (%s) naming the context key', (key, value, message) => {
    // Act
    const read = () => settingsWith({ [key]: value });

    // Assess
    expect(read).toThrow(SettingsError);
    expect(read).toThrow(message);
  });
});
