import { Match, type Template } from 'aws-cdk-lib/assertions';
import fc from 'fast-check';
import { ENV } from '../../lambda/config.js';
import { FINDINGS_COLUMNS, SAVED_QUERIES } from '../../lambda/report/athena.js';
import { FINDINGS_PREFIX, findingsObjectKey, partitionDate } from '../../lambda/report/store-layout.js';
import type { AuditorStack } from '../../lib/auditor-stack.js';
import { RunMetric } from '../../lambda/live/run-metrics.js';
import { logicalId, synthAuditor, TEST_ENV } from './support/auditor-app.js';

const ACCOUNT = TEST_ENV.account;
const partitionArn = (rest: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, rest]] });

let stack: AuditorStack;
let template: Template;
let ids: {
  bucket: string;
  accessLogs: string;
  results: string;
  topic: string;
  key: string;
  fn: string;
  role: string;
  queue: string;
  logs: string;
};

beforeAll(() => {
  ({ stack, template } = synthAuditor({
    alertEmails: 'sec@example.com,ops@example.org',
    regions: 'eu-west-1,us-east-2',
    clusterInclude: 'prod-*,stage-*',
    clusterExclude: 'prod-legacy',
    grantClusters: 'prod-a,prod-b',
    excludedNamespaces: 'kube-system,monitoring',
    alertThreshold: 'Low',
    retentionDays: '90',
    alertOn: 'all',
    suppressionsKey: 'config/suppressions.yaml',
    securityHub: 'true',
  }));
  const resultsBucket = stack.athena.node.findChild('Results') as { node: { defaultChild?: unknown } };
  ids = {
    bucket: logicalId(stack, stack.store.bucket),
    accessLogs: logicalId(stack, stack.store.accessLogs),
    results: logicalId(stack, resultsBucket),
    topic: logicalId(stack, stack.alerting.topic),
    key: logicalId(stack, stack.alerting.key),
    fn: logicalId(stack, stack.auditor.function),
    role: logicalId(stack, stack.auditor.role),
    queue: logicalId(stack, stack.auditor.deadLetterQueue),
    logs: logicalId(stack, stack.auditor.node.findChild('Logs') as { node: { defaultChild?: unknown } }),
  };
});

/** The ARN of objects of the findings bucket under `path` (`/findings/*`). */
function bucketObjects(path: string) {
  return { 'Fn::Join': ['', [{ 'Fn::GetAtt': [ids.bucket, 'Arn'] }, path]] };
}

function properties(type: string, id: string): Record<string, any> {
  return template.findResources(type)[id]?.Properties;
}

describe('the auditor function', () => {
  it('runs Node.js 24 on ARM64 with the chosen memory, timeout and one run at a time', () => {
    // Act
    const fn = properties('AWS::Lambda::Function', ids.fn);

    // Assess
    expect(fn).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 1536,
      Timeout: 600,
      ReservedConcurrentExecutions: 1,
      Role: { 'Fn::GetAtt': [ids.role, 'Arn'] },
    });
  });

  it('gets exactly the environment the handler reads, with source maps on', () => {
    // Act
    const variables = properties('AWS::Lambda::Function', ids.fn).Environment.Variables;

    // Assess
    expect(variables).toEqual({
      FINDINGS_BUCKET: { Ref: ids.bucket },
      FINDINGS_PREFIX: 'findings',
      ALERT_TOPIC_ARN: { Ref: ids.topic },
      AUDIT_REGIONS: 'eu-west-1,us-east-2',
      CLUSTER_INCLUDE: 'prod-*,stage-*',
      CLUSTER_EXCLUDE: 'prod-legacy',
      EXCLUDED_NAMESPACES: 'kube-system,monitoring',
      ALERT_THRESHOLD: 'Low',
      AUDIT_CONCURRENCY: '4',
      CLUSTER_TIMEOUT_SECONDS: '180',
      AUDITOR_ROLE_ARN: { 'Fn::GetAtt': [ids.role, 'Arn'] },
      ALERT_ON: 'all',
      SUPPRESSIONS_FILE: 'suppressions.yaml',
      SUPPRESSIONS_KEY: 'config/suppressions.yaml',
      SECURITY_HUB: 'true',
      MAX_BODY_MIB: '64',
      FUNCTION_TIMEOUT_SECONDS: '600',
      ATHENA_DATABASE: 'eks_netpol_auditor',
      ATHENA_WORKGROUP: 'eks-netpol-auditor',
      POWERTOOLS_SERVICE_NAME: 'eks-netpol-auditor',
      POWERTOOLS_METRICS_NAMESPACE: 'EksNetpolAuditor',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      NODE_OPTIONS: '--enable-source-maps',
    });
    expect(Object.keys(variables)).toEqual(expect.arrayContaining(Object.values(ENV)));
  });

  it('logs to its own log group, kept three months', () => {
    // Act
    const fn = properties('AWS::Lambda::Function', ids.fn);
    const logs = template.findResources('AWS::Logs::LogGroup')[ids.logs];

    // Assess
    expect(fn.LoggingConfig).toEqual({ LogGroup: { Ref: ids.logs } });
    expect(logs.Properties).toEqual({ RetentionInDays: 90 });
  });

  it('retries a failed asynchronous run once, then sends it to the dead-letter queue', () => {
    // Act
    const config = template.findResources('AWS::Lambda::EventInvokeConfig');

    // Assess
    expect(Object.values(config).map((resource) => resource.Properties)).toEqual([
      {
        FunctionName: { Ref: ids.fn },
        Qualifier: '$LATEST',
        MaximumRetryAttempts: 1,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [ids.queue, 'Arn'] } } },
      },
    ]);
  });

  it('has a dead-letter queue encrypted at rest and reachable over TLS only', () => {
    // Act
    const queue = properties('AWS::SQS::Queue', ids.queue);

    // Assess
    expect(queue).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: ids.queue }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sqs:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('is not attached to a VPC unless subnets are configured', () => {
    // Act
    const fn = properties('AWS::Lambda::Function', ids.fn);

    // Assess
    expect(fn.VpcConfig).toBeUndefined();
  });
});

describe('the function role', () => {
  it('trusts Lambda only and carries no managed policy', () => {
    // Act
    const role = properties('AWS::IAM::Role', ids.role);

    // Assess
    expect(role.ManagedPolicyArns).toBeUndefined();
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
    ]);
  });

  it('has exactly the least-privilege statements, with ListClusters the only action on "*"', () => {
    // Prepare
    const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: ids.role }] } });

    // Act
    const statements = Object.values(policies).flatMap((policy) => policy.Properties.PolicyDocument.Statement);

    // Assess
    expect(statements).toEqual([
      { Sid: 'DiscoverClusters', Effect: 'Allow', Action: 'eks:ListClusters', Resource: '*' },
      {
        Sid: 'ReadClusters',
        Effect: 'Allow',
        Action: ['eks:DescribeCluster', 'eks:ListAddons', 'eks:DescribeAddon'],
        Resource: [
          partitionArn(`:eks:eu-west-1:${ACCOUNT}:cluster/*`),
          partitionArn(`:eks:us-east-2:${ACCOUNT}:cluster/*`),
          partitionArn(`:eks:eu-west-1:${ACCOUNT}:addon/*/*/*`),
          partitionArn(`:eks:us-east-2:${ACCOUNT}:addon/*/*/*`),
        ],
      },
      {
        Sid: 'WriteFindings',
        Effect: 'Allow',
        Action: 's3:PutObject',
        Resource: [bucketObjects('/findings/*'), bucketObjects('/state/*')],
      },
      {
        Sid: 'ReadHistory',
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: [bucketObjects('/findings/*'), bucketObjects('/state/*'), bucketObjects('/config/suppressions.yaml')],
      },
      { Sid: 'TellMissingObjects', Effect: 'Allow', Action: 's3:ListBucket', Resource: { 'Fn::GetAtt': [ids.bucket, 'Arn'] } },
      { Sid: 'PublishAlert', Effect: 'Allow', Action: 'sns:Publish', Resource: { Ref: ids.topic } },
      {
        Sid: 'EncryptAlert',
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: { 'Fn::GetAtt': [ids.key, 'Arn'] },
      },
      {
        Sid: 'ImportFindings',
        Effect: 'Allow',
        Action: 'securityhub:BatchImportFindings',
        Resource: [
          partitionArn(`:securityhub:eu-west-1:${ACCOUNT}:product/${ACCOUNT}/default`),
          partitionArn(`:securityhub:us-east-2:${ACCOUNT}:product/${ACCOUNT}/default`),
        ],
      },
      {
        Effect: 'Allow',
        Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
        Resource: { 'Fn::GetAtt': [ids.queue, 'Arn'] },
      },
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: { 'Fn::GetAtt': [ids.logs, 'Arn'] },
      },
    ]);
  });

  it('has no wildcard in any action of any policy in the stack', () => {
    // Act
    const actions = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy) =>
      policy.Properties.PolicyDocument.Statement.flatMap((statement: { Action: string | string[] }) => statement.Action),
    );

    // Assess
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.filter((action: string) => action.includes('*'))).toEqual([]);
  });
});

describe('the schedule', () => {
  it('invokes the function daily, retrying delivery and keeping undeliverable events in the dead-letter queue', () => {
    // Act
    const rules = Object.values(template.findResources('AWS::Events::Rule')).map((rule) => rule.Properties);

    // Assess
    expect(rules).toEqual([
      expect.objectContaining({
        ScheduleExpression: 'rate(1 day)',
        State: 'ENABLED',
        Targets: [
          {
            Id: 'Target0',
            Arn: { 'Fn::GetAtt': [ids.fn, 'Arn'] },
            DeadLetterConfig: { Arn: { 'Fn::GetAtt': [ids.queue, 'Arn'] } },
            RetryPolicy: { MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 7200 },
          },
        ],
      }),
    ]);
  });

  it('lets EventBridge, and only the rule, invoke the function', () => {
    // Act
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission')).map((p) => p.Properties);

    // Assess
    expect(permissions).toEqual([
      {
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': [ids.fn, 'Arn'] },
        Principal: 'events.amazonaws.com',
        SourceArn: { 'Fn::GetAtt': [logicalId(stack, stack.schedule.rule), 'Arn'] },
      },
    ]);
  });
});

describe('the buckets', () => {
  it('encrypts the findings, blocks public access, versions, expires after the retention and logs access', () => {
    // Act
    const bucket = template.findResources('AWS::S3::Bucket')[ids.bucket];

    // Assess
    expect(bucket.Properties).toEqual({
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: {
        Rules: [
          {
            Id: 'expire',
            Status: 'Enabled',
            ExpirationInDays: 90,
            NoncurrentVersionExpiration: { NoncurrentDays: 7 },
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
          },
          { Id: 'remove-expired-delete-markers', Status: 'Enabled', ExpiredObjectDeleteMarker: true },
        ],
      },
      LoggingConfiguration: { DestinationBucketName: { Ref: ids.accessLogs }, LogFilePrefix: 'findings-bucket/' },
    });
  });

  it('retains every bucket when the stack is deleted', () => {
    // Act
    const buckets = template.findResources('AWS::S3::Bucket');

    // Assess
    expect(Object.keys(buckets).sort()).toEqual([ids.accessLogs, ids.bucket, ids.results].sort());
    for (const bucket of Object.values(buckets)) {
      expect(bucket).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    }
  });

  it('denies every request to every bucket that is not over TLS', () => {
    // Act
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy')).map((p) => p.Properties);

    // Assess
    expect(policies.map((policy) => policy.Bucket.Ref).sort()).toEqual([ids.accessLogs, ids.bucket, ids.results].sort());
    for (const policy of policies) {
      expect(policy.PolicyDocument.Statement[0]).toEqual({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        Resource: [
          { 'Fn::GetAtt': [policy.Bucket.Ref, 'Arn'] },
          { 'Fn::Join': ['', [{ 'Fn::GetAtt': [policy.Bucket.Ref, 'Arn'] }, '/*']] },
        ],
      });
    }
  });

  it('lets S3 log delivery write the access logs of the findings and results buckets, nothing else', () => {
    // Act
    const policy = Object.values(template.findResources('AWS::S3::BucketPolicy')).find(
      (p) => p.Properties.Bucket.Ref === ids.accessLogs,
    );

    // Assess
    const delivery = policy?.Properties.PolicyDocument.Statement.slice(1);
    expect(delivery).toEqual(
      [
        [ids.bucket, 'findings-bucket'],
        [ids.results, 'athena-results'],
      ].map(([source, prefix]) => ({
        Effect: 'Allow',
        Principal: { Service: 'logging.s3.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [ids.accessLogs, 'Arn'] }, `/${prefix}/*`]] },
        Condition: { ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [source, 'Arn'] } }, StringEquals: { 'aws:SourceAccount': ACCOUNT } },
      })),
    );
  });

  it('expires Athena results after a month and logs access to them', () => {
    // Act
    const results = properties('AWS::S3::Bucket', ids.results);

    // Assess
    expect(results.LifecycleConfiguration.Rules[0]).toMatchObject({ ExpirationInDays: 30 });
    expect(results.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: ids.accessLogs },
      LogFilePrefix: 'athena-results/',
    });
    expect(results.BucketEncryption).toEqual(properties('AWS::S3::Bucket', ids.bucket).BucketEncryption);
  });
});

describe('the alert topic', () => {
  it('is encrypted with a rotating KMS key', () => {
    // Act
    const topic = properties('AWS::SNS::Topic', ids.topic);
    const key = properties('AWS::KMS::Key', ids.key);

    // Assess
    expect(topic.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [ids.key, 'Arn'] });
    expect(key.EnableKeyRotation).toBe(true);
  });

  it('refuses publishing without TLS and admits only this account’s CloudWatch alarms besides IAM', () => {
    // Act
    const policies = Object.values(template.findResources('AWS::SNS::TopicPolicy')).map((p) => p.Properties);

    // Assess
    expect(policies).toEqual([
      {
        Topics: [{ Ref: ids.topic }],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'AllowPublishThroughSSLOnly',
              Effect: 'Deny',
              Principal: '*',
              Action: 'sns:Publish',
              Resource: { Ref: ids.topic },
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            },
            {
              Sid: 'CloudWatchAlarmsPublish',
              Effect: 'Allow',
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: 'sns:Publish',
              Resource: { Ref: ids.topic },
              Condition: {
                StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
                ArnLike: {
                  'aws:SourceArn': {
                    'Fn::Join': [
                      '',
                      ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':alarm:*'],
                    ],
                  },
                },
              },
            },
          ],
        },
      },
    ]);
  });

  it('lets CloudWatch encrypt alarm notifications with the topic key', () => {
    // Act
    const statements = properties('AWS::KMS::Key', ids.key).KeyPolicy.Statement;

    // Assess
    expect(statements).toContainEqual({
      Sid: 'CloudWatchAlarmsEncrypt',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: '*',
    });
  });

  it('subscribes every configured e-mail address', () => {
    // Act
    const subscriptions = Object.values(template.findResources('AWS::SNS::Subscription')).map((s) => s.Properties);

    // Assess
    expect(subscriptions).toEqual(
      ['sec@example.com', 'ops@example.org'].map((email) => ({
        Protocol: 'email',
        Endpoint: email,
        TopicArn: { Ref: ids.topic },
      })),
    );
  });

  it('exports the topic ARN', () => {
    // Act
    const output = template.findOutputs('AlertTopicArn');

    // Assess
    expect(output.AlertTopicArn.Value).toEqual({ Ref: ids.topic });
  });
});

describe('Athena', () => {
  it('defines the findings table with partition projection on dt over the store layout', () => {
    // Act
    const table = Object.values(template.findResources('AWS::Glue::Table'))[0]?.Properties;

    // Assess
    const location = (suffix: string) => ({ 'Fn::Join': ['', ['s3://', { Ref: ids.bucket }, suffix]] });
    expect(table).toEqual({
      CatalogId: ACCOUNT,
      DatabaseName: 'eks_netpol_auditor',
      TableInput: {
        Name: 'findings',
        Description: expect.any(String),
        TableType: 'EXTERNAL_TABLE',
        PartitionKeys: [{ Name: 'dt', Type: 'string' }],
        Parameters: {
          classification: 'json',
          'projection.enabled': 'true',
          'projection.dt.type': 'date',
          'projection.dt.format': 'yyyy-MM-dd',
          'projection.dt.range': '2024-01-01,NOW',
          'projection.dt.interval': '1',
          'projection.dt.interval.unit': 'DAYS',
          'storage.location.template': location('/findings/dt=${dt}/'),
        },
        StorageDescriptor: {
          Location: location('/findings/'),
          Columns: FINDINGS_COLUMNS.map(({ name, type }) => ({ Name: name, Type: type })),
          InputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
          OutputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
          SerdeInfo: { SerializationLibrary: 'org.apache.hive.hcatalog.data.JsonSerDe' },
        },
      },
    });
  });

  it('creates the table after its database', () => {
    // Act
    const databases = template.findResources('AWS::Glue::Database');
    const table = Object.values(template.findResources('AWS::Glue::Table'))[0];

    // Assess
    const [databaseId] = Object.keys(databases);
    expect(databases[databaseId as string]?.Properties.DatabaseInput.Name).toBe('eks_netpol_auditor');
    expect(table?.DependsOn).toEqual([databaseId]);
  });

  it('has a workgroup that enforces its own encrypted results location', () => {
    // Act
    const workGroups = Object.values(template.findResources('AWS::Athena::WorkGroup')).map((w) => w.Properties);

    // Assess
    expect(workGroups).toEqual([
      expect.objectContaining({
        Name: 'eks-netpol-auditor',
        RecursiveDeleteOption: true,
        WorkGroupConfiguration: {
          EnforceWorkGroupConfiguration: true,
          PublishCloudWatchMetricsEnabled: true,
          EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
          ResultConfiguration: {
            OutputLocation: { 'Fn::Join': ['', ['s3://', { Ref: ids.results }, '/']] },
            EncryptionConfiguration: { EncryptionOption: 'SSE_S3' },
            ExpectedBucketOwner: ACCOUNT,
          },
        },
      }),
    ]);
  });

  it('saves every query of the report module in the workgroup, over the qualified table', () => {
    // Act
    const queries = Object.values(template.findResources('AWS::Athena::NamedQuery')).map((q) => q.Properties);

    // Assess
    expect(queries).toEqual(
      SAVED_QUERIES.map((query) => ({
        Name: query.name,
        Description: query.description,
        Database: 'eks_netpol_auditor',
        WorkGroup: 'eks-netpol-auditor',
        QueryString: query.sql('eks_netpol_auditor.findings'),
      })),
    );
  });

  it('creates the saved queries after the workgroup and the table they name', () => {
    // Act
    const queries = Object.values(template.findResources('AWS::Athena::NamedQuery'));

    // Assess
    const workGroupId = Object.keys(template.findResources('AWS::Athena::WorkGroup'))[0];
    const tableId = Object.keys(template.findResources('AWS::Glue::Table'))[0];
    for (const query of queries) expect(query.DependsOn).toEqual(expect.arrayContaining([workGroupId, tableId]));
  });
});

describe('cluster access', () => {
  it('creates a view-only access entry for each cluster named in grantClusters, in the group of the auditor ClusterRole', () => {
    // Act
    const entries = Object.values(template.findResources('AWS::EKS::AccessEntry')).map((e) => e.Properties);

    // Assess
    expect(entries).toEqual(
      ['prod-a', 'prod-b'].map((clusterName) => ({
        ClusterName: clusterName,
        PrincipalArn: { 'Fn::GetAtt': [ids.role, 'Arn'] },
        Type: 'STANDARD',
        KubernetesGroups: ['eks-netpol-auditor'],
        AccessPolicies: [
          {
            PolicyArn: partitionArn(':eks::aws:cluster-access-policy/AmazonEKSViewPolicy'),
            AccessScope: { Type: 'cluster' },
          },
        ],
      })),
    );
  });

  it('prints the two commands that grant the same access on any other cluster', () => {
    // Act
    const outputs = template.findOutputs('*');

    // Assess
    const target = 'aws eks %s --cluster-name "$CLUSTER_NAME" --region "$CLUSTER_REGION" --principal-arn ';
    const roleArn = { 'Fn::GetAtt': [ids.role, 'Arn'] };
    expect(outputs.CreateAccessEntryCommand?.Value).toEqual({
      'Fn::Join': ['', [target.replace('%s', 'create-access-entry'), roleArn, ' --type STANDARD --kubernetes-groups eks-netpol-auditor']],
    });
    expect(outputs.AssociateAccessPolicyCommand?.Value).toEqual({
      'Fn::Join': [
        '',
        [
          target.replace('%s', 'associate-access-policy'),
          roleArn,
          ' --policy-arn arn:',
          { Ref: 'AWS::Partition' },
          ':eks::aws:cluster-access-policy/AmazonEKSViewPolicy --access-scope type=cluster',
        ],
      ],
    });
  });
});

describe('the alarms', () => {
  function alarm(metricName: string): Record<string, any> | undefined {
    return Object.values(template.findResources('AWS::CloudWatch::Alarm')).find(
      (resource) => resource.Properties.MetricName === metricName,
    )?.Properties;
  }

  it('are exactly five with the Security Hub import on, each notifying the alert topic', () => {
    // Act
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);

    // Assess
    expect(alarms.map((a) => a.MetricName).sort()).toEqual(['AlertFailures', 'ApproximateNumberOfMessagesVisible', 'Errors', 'SecurityHubFailures', 'SuccessfulRuns']);
    for (const properties of alarms) expect(properties.AlarmActions).toEqual([{ Ref: ids.topic }]);
  });

  it('fire on any function error in five minutes', () => {
    // Act
    const errors = alarm('Errors');

    // Assess
    expect(errors).toMatchObject({
      Namespace: 'AWS/Lambda',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: ids.fn } }],
      Statistic: 'Sum',
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  it('fire as soon as the dead-letter queue holds a message', () => {
    // Act
    const deadLetters = alarm('ApproximateNumberOfMessagesVisible');

    // Assess
    expect(deadLetters).toMatchObject({
      Namespace: 'AWS/SQS',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [ids.queue, 'QueueName'] } }],
      Statistic: 'Maximum',
      Period: 300,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  it('fire on any alert the handler could not deliver, watching the metric the handler emits for it', () => {
    // Act
    const delivery = alarm(RunMetric.AlertFailures);

    // Assess
    expect(delivery).toMatchObject({
      Namespace: 'EksNetpolAuditor',
      Dimensions: [{ Name: 'service', Value: 'eks-netpol-auditor' }],
      Statistic: 'Sum',
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  it('fire on any finding Security Hub refused, watching the metric the handler emits for it', () => {
    expect(alarm(RunMetric.SecurityHubFailures)).toMatchObject({
      Namespace: 'EksNetpolAuditor',
      Dimensions: [{ Name: 'service', Value: 'eks-netpol-auditor' }],
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  it('fire when no run succeeded in two days of a daily schedule, missing data counting as failure', () => {
    // Act
    const stale = alarm('SuccessfulRuns');

    // Assess
    expect(stale).toMatchObject({
      Namespace: 'EksNetpolAuditor',
      Dimensions: [{ Name: 'service', Value: 'eks-netpol-auditor' }],
      Statistic: 'Sum',
      Period: 86400,
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
  });
});

describe('the outputs', () => {
  it('name the findings bucket and the Athena workgroup', () => {
    // Act
    const outputs = template.findOutputs('*');

    // Assess
    expect(outputs.FindingsBucketName?.Value).toEqual({ Ref: ids.bucket });
    expect(outputs.AthenaWorkGroup?.Value).toEqual({ Ref: Object.keys(template.findResources('AWS::Athena::WorkGroup'))[0] });
  });

  it('give the command that starts a run now', () => {
    // Act
    const output = template.findOutputs('RunNowCommand').RunNowCommand;

    // Assess
    expect(output?.Value).toEqual({
      'Fn::Join': [
        '',
        [
          'aws lambda invoke --region eu-west-1 --function-name ',
          { Ref: ids.fn },
          " --invocation-type Event --cli-binary-format raw-in-base64-out --payload '{}' /dev/null",
        ],
      ],
    });
  });
});

describe('the findings layout', () => {
  const BUCKET_NAME = 'findings-bucket-name';

  /** A template value with the bucket's Ref replaced by its name, as CloudFormation would deploy it. */
  function deployed(value: unknown): string {
    if (typeof value === 'string') return value;
    const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
    if (join) return join[1].map(deployed).join(join[0]);
    if ((value as { Ref?: string }).Ref === ids.bucket) return BUCKET_NAME;
    throw new Error(`unexpected template value ${JSON.stringify(value)}`);
  }

  function tableInput(): Record<string, any> {
    return Object.values(template.findResources('AWS::Glue::Table'))[0]?.Properties.TableInput;
  }

  it('places every object the writer produces under the table location, in the projected partition', () => {
    // Prepare
    const input = tableInput();
    const location = deployed(input.StorageDescriptor.Location);
    const partitionTemplate = deployed(input.Parameters['storage.location.template']);
    const escaped = partitionTemplate.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    const partitionFolder = new RegExp(`^${escaped.replace('\\$\\{dt\\}', '(\\d{4}-\\d{2}-\\d{2})')}([^/]+)$`);
    const observations = fc.record({
      observedAt: fc.date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2035-12-31T23:59:59Z'), noInvalidDate: true }),
      runId: fc.string({ minLength: 1, maxLength: 40 }),
      name: fc.string({ minLength: 1, maxLength: 100 }),
      region: fc.option(fc.constantFrom('eu-west-1', 'us-east-2', 'ap-southeast-2'), { nil: null }),
      account: fc.option(fc.constantFrom('111122223333', '444455556666'), { nil: null }),
    });

    // Act
    const check = () =>
      fc.assert(
        fc.property(observations, ({ observedAt, runId, name, region, account }) => {
          const cluster = { name, region, account_id: account };
          const uri = `s3://${BUCKET_NAME}/${findingsObjectKey(FINDINGS_PREFIX, observedAt, runId, cluster)}`;
          const match = partitionFolder.exec(uri);
          return uri.startsWith(location) && match !== null && match[1] === partitionDate(observedAt);
        }),
      );

    // Assess
    expect(check).not.toThrow();
  });

  it('projects dt in the yyyy-MM-dd form the writer uses, from the range start to today', () => {
    // Prepare
    const parameters = tableInput().Parameters;
    const today = partitionDate(new Date());

    // Act
    const [start, end] = parameters['projection.dt.range'].split(',');

    // Assess
    expect(parameters['projection.dt.format']).toBe('yyyy-MM-dd');
    expect(start).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(start <= today).toBe(true);
    expect(end).toBe('NOW');
  });
});

describe('with other settings', () => {
  let cron: { stack: AuditorStack; template: Template };
  let private_: { stack: AuditorStack; template: Template };

  beforeAll(() => {
    cron = synthAuditor({ schedule: 'cron(15 * * * ? *)' });
    private_ = synthAuditor({
      vpcId: 'vpc-0123456789abcdef0',
      subnetIds: 'subnet-0123456789abcdef0,subnet-0fedcba9876543210',
      securityGroupIds: 'sg-0123456789abcdef0',
      memorySize: '2048',
      timeout: '900',
    });
  });

  it('schedules the configured cron and watches twice its hourly interval', () => {
    // Act
    const rule = Object.values(cron.template.findResources('AWS::Events::Rule'))[0]?.Properties;
    const stale = Object.values(cron.template.findResources('AWS::CloudWatch::Alarm')).find(
      (alarm) => alarm.Properties.MetricName === 'SuccessfulRuns',
    )?.Properties;

    // Assess
    expect(rule.ScheduleExpression).toBe('cron(15 * * * ? *)');
    expect(stale).toMatchObject({ Period: 7200, EvaluationPeriods: 1, DatapointsToAlarm: 1 });
  });

  it('audits the stack’s own region when no region is configured', () => {
    // Act
    const fn = Object.values(cron.template.findResources('AWS::Lambda::Function'))[0]?.Properties;
    const read = Object.values(cron.template.findResources('AWS::IAM::Policy'))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement)
      .find((statement) => statement.Sid === 'ReadClusters');

    // Assess
    expect(fn.Environment.Variables.AUDIT_REGIONS).toBe(TEST_ENV.region);
    expect(read.Resource).toEqual([
      partitionArn(`:eks:${TEST_ENV.region}:${ACCOUNT}:cluster/*`),
      partitionArn(`:eks:${TEST_ENV.region}:${ACCOUNT}:addon/*/*/*`),
    ]);
  });

  it('creates no access entry and no subscription when none is configured', () => {
    // Act
    const entries = cron.template.findResources('AWS::EKS::AccessEntry');
    const subscriptions = cron.template.findResources('AWS::SNS::Subscription');

    // Assess
    expect(entries).toEqual({});
    expect(subscriptions).toEqual({});
  });

  it('runs in the configured subnets and security groups for private-endpoint clusters', () => {
    // Act
    const fn = Object.values(private_.template.findResources('AWS::Lambda::Function'))[0]?.Properties;

    // Assess
    expect(fn.VpcConfig).toEqual({
      SubnetIds: ['subnet-0123456789abcdef0', 'subnet-0fedcba9876543210'],
      SecurityGroupIds: ['sg-0123456789abcdef0'],
    });
    expect(fn).toMatchObject({ MemorySize: 2048, Timeout: 900 });
  });

  it('gives the role in a VPC the AWS policy for network interfaces, and nothing broader', () => {
    // Act
    const role = private_.template.findResources('AWS::IAM::Role')[logicalId(private_.stack, private_.stack.auditor.role)];

    // Assess
    expect(role?.Properties.ManagedPolicyArns).toEqual([
      partitionArn(':iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole'),
    ]);
  });
});
