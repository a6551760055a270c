import { ConfigError, ENV, loadConfig } from '../lambda/config.js';

const BASE = { [ENV.bucket]: 'findings-bucket', AWS_REGION: 'eu-west-1' };

describe('loadConfig', () => {
  test('applies the documented defaults when only the bucket and the function region are set', () => {
    // Act
    const config = loadConfig(BASE);

    // Assess
    expect(config).toEqual({
      bucket: 'findings-bucket',
      prefix: 'findings',
      topicArn: undefined,
      regions: ['eu-west-1'],
      include: [],
      exclude: [],
      excludedNamespaces: ['kube-system', 'kube-public', 'kube-node-lease'],
      alertThreshold: 'Medium',
      concurrency: 4,
      roleArn: undefined,
      clusterTimeoutMs: 180_000,
      alertOn: 'new',
      suppressionsFile: undefined,
      suppressionsKey: undefined,
      securityHub: false,
      maxBodyBytes: 64 * 2 ** 20,
      athena: { database: 'eks_netpol_auditor', table: 'findings', workgroup: 'eks-netpol-auditor' },
    });
  });

  test('reads every variable, trimming list items', () => {
    // Act
    const config = loadConfig({
      ...BASE,
      [ENV.prefix]: 'audits/findings',
      [ENV.topicArn]: 'arn:aws:sns:eu-west-1:123456789012:alerts',
      [ENV.regions]: 'eu-west-1, us-east-2',
      [ENV.include]: 'prod-*, stage-?',
      [ENV.exclude]: 'prod-legacy',
      [ENV.excludedNamespaces]: 'kube-system, monitoring',
      [ENV.alertThreshold]: 'Low',
      [ENV.concurrency]: '8',
      [ENV.roleArn]: 'arn:aws:iam::123456789012:role/auditor/EksNetpolAuditor-Function',
      [ENV.clusterTimeout]: '90',
      [ENV.alertOn]: 'all',
      [ENV.suppressionsFile]: 'suppressions.yaml',
      [ENV.suppressionsKey]: 'config/suppressions.yaml',
      [ENV.securityHub]: 'true',
      [ENV.maxBodyMib]: '256',
      [ENV.functionTimeout]: '900',
    });

    // Assess
    expect(config).toMatchObject({
      alertOn: 'all',
      suppressionsFile: 'suppressions.yaml',
      suppressionsKey: 'config/suppressions.yaml',
      securityHub: true,
      prefix: 'audits/findings',
      topicArn: 'arn:aws:sns:eu-west-1:123456789012:alerts',
      regions: ['eu-west-1', 'us-east-2'],
      include: ['prod-*', 'stage-?'],
      exclude: ['prod-legacy'],
      excludedNamespaces: ['kube-system', 'monitoring'],
      alertThreshold: 'Low',
      concurrency: 8,
      roleArn: 'arn:aws:iam::123456789012:role/auditor/EksNetpolAuditor-Function',
      clusterTimeoutMs: 90_000,
      maxBodyBytes: 256 * 2 ** 20,
    });
  });

  test('the deployment names its own Glue database and workgroup for the alert query; the table keeps its name', () => {
    // Act
    const config = loadConfig({ ...BASE, [ENV.athenaDatabase]: 'audit_staging', [ENV.athenaWorkGroup]: 'audit-staging' });

    // Assess
    expect(config.athena).toEqual({ database: 'audit_staging', table: 'findings', workgroup: 'audit-staging' });
  });

  test('an empty EXCLUDED_NAMESPACES is strict CIS: no namespace is excluded', () => {
    expect(loadConfig({ ...BASE, [ENV.excludedNamespaces]: '' }).excludedNamespaces).toEqual([]);
  });

  test.each([
    [{ [ENV.bucket]: ' ' }, 'FINDINGS_BUCKET is not set'],
    [{ [ENV.regions]: 'eu-west-1,europe' }, 'AUDIT_REGIONS has "europe", which is not an AWS region name'],
    [{ [ENV.include]: 'prod/*' }, 'CLUSTER_INCLUDE has "prod/*"'],
    [{ [ENV.exclude]: '-x' }, 'CLUSTER_EXCLUDE has "-x"'],
    [{ [ENV.alertThreshold]: 'High' }, 'ALERT_THRESHOLD is "High"; expected one of Informational, Low, Medium'],
    [{ [ENV.concurrency]: '0' }, 'AUDIT_CONCURRENCY is "0"'],
    [{ [ENV.concurrency]: '2.5' }, 'AUDIT_CONCURRENCY is "2.5"'],
    [{ [ENV.clusterTimeout]: '0' }, 'CLUSTER_TIMEOUT_SECONDS is "0"; expected a whole number of seconds from 1 to 900'],
    [{ [ENV.topicArn]: 'alerts' }, 'ALERT_TOPIC_ARN is "alerts", which is not an SNS topic ARN'],
    [{ [ENV.roleArn]: 'arn:aws:iam::123456789012:user/alice' }, 'AUDITOR_ROLE_ARN is "arn:aws:iam::123456789012:user/alice", which is not an IAM role ARN'],
    [{ [ENV.alertOn]: 'changes' }, 'ALERT_ON is "changes"; expected one of new, all'],
    [{ [ENV.securityHub]: 'yes' }, 'SECURITY_HUB is "yes"; expected true or false'],
    [{ [ENV.suppressionsKey]: '/config/s.yaml' }, 'SUPPRESSIONS_KEY is "/config/s.yaml": an object key has no leading /'],
    [{ [ENV.maxBodyMib]: '0' }, 'MAX_BODY_MIB is "0"; expected a whole number of MiB from 1 to 1024'],
    [{ [ENV.maxBodyMib]: '64 MiB' }, 'MAX_BODY_MIB is "64 MiB"; expected a whole number of MiB from 1 to 1024'],
    [{ [ENV.functionTimeout]: '0' }, 'FUNCTION_TIMEOUT_SECONDS is "0"; expected a whole number of seconds from 1 to 900'],
    [{ [ENV.athenaDatabase]: 'audit-db' }, 'ATHENA_DATABASE is "audit-db"; expected a Glue database name'],
    [{ [ENV.athenaWorkGroup]: 'a/b' }, 'ATHENA_WORKGROUP is "a/b"; expected an Athena workgroup name'],
    [
      { [ENV.clusterTimeout]: '180', [ENV.functionTimeout]: '210' },
      'CLUSTER_TIMEOUT_SECONDS is "180": it must be below the function timeout (210 s) less the 30 s kept to store and alert; expected at most 179, or a longer timeout',
    ],
  ])('rejects %j with a message naming the variable', (overrides, message) => {
    // Act
    const load = () => loadConfig({ ...BASE, ...overrides });

    // Assess
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(message);
  });

  test('a cluster deadline just below the function timeout less the margin is accepted', () => {
    expect(loadConfig({ ...BASE, [ENV.clusterTimeout]: '179', [ENV.functionTimeout]: '210' }).clusterTimeoutMs).toBe(179_000);
  });

  test('without AUDIT_REGIONS and AWS_REGION there is no region to audit', () => {
    expect(() => loadConfig({ [ENV.bucket]: 'b' })).toThrow('AUDIT_REGIONS is empty and AWS_REGION is not set');
  });
});
