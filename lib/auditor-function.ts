/**
 * The auditor function: the handler bundled with the local esbuild (never Docker) into one ES module, on Node.js 24
 * and ARM64, with its own role, its own log group, one run at a time, and an encrypted dead-letter queue that keeps
 * every asynchronous invocation that failed for good.
 */
import { Duration, Fn, RemovalPolicy } from 'aws-cdk-lib';
import { SecurityGroup, Subnet, Vpc } from 'aws-cdk-lib/aws-ec2';
import { ManagedPolicy, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { BUNDLED_SUPPRESSIONS, auditorEnvironment } from './auditor-environment.js';
import { grantAuditorPermissions, type AuditorResources } from './auditor-permissions.js';
import { bundledFunction } from './bundled-function.js';
import { deadLetterQueue } from './dead-letter-queue.js';
import { HANDLER_ENTRY } from './handler-bundle.js';
import { acknowledge, nagFindingId, NagFindingKind } from './nag.js';
import type { AuditorSettings, PrivateNetwork } from './settings.js';

/** The settings and the resources the function works with. */
export interface AuditorFunctionProps {
  settings: AuditorSettings;
  resources: AuditorResources;
}

/**
 * One retry for a failed asynchronous run: a run is idempotent (deterministic keys), so a transient failure gets a
 * second chance, while a persistent one does not burn three full timeouts before reaching the dead-letter queue.
 */
const ASYNC_RETRY_ATTEMPTS = 1;

/** The function, its role and its dead-letter queue. */
export class AuditorFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: AuditorFunctionProps) {
    super(scope, id);
    const { settings, resources } = props;

    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'EKS network-policy auditor: reads EKS, writes findings, publishes alerts',
    });
    grantAuditorPermissions(this.role, resources);

    const logGroup = new LogGroup(this, 'Logs', {
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.deadLetterQueue = deadLetterQueue(this, 'DeadLetterQueue');

    this.function = bundledFunction(this, 'Function', {
      description: 'Audits EKS clusters for NetworkPolicy enforcement and coverage (CIS EKS, Kubescape C-0230)',
      entry: HANDLER_ENTRY,
      handler: 'handler',
      memorySize: settings.memorySize,
      timeout: Duration.seconds(settings.timeoutSeconds),
      // Runs never overlap: a manual run and a scheduled one would otherwise race on the same objects and alert twice.
      reservedConcurrentExecutions: 1,
      role: this.role,
      logGroup,
      environment: auditorEnvironment(settings, {
        bucketName: resources.bucket.bucketName,
        topicArn: resources.topic.topicArn,
        regions: resources.regions,
        roleArn: this.role.roleArn,
      }),
      onFailure: new SqsDestination(this.deadLetterQueue),
      retryAttempts: ASYNC_RETRY_ATTEMPTS,
      ...(settings.network ? this.privateNetworking(settings.network) : {}),
      // The suppressions file travels with the code it configures: a deploy changes both or neither.
      ...(settings.suppressionsFile ? { files: { [BUNDLED_SUPPRESSIONS]: settings.suppressionsFile } } : {}),
    });
    logGroup.grantWrite(this.role);
  }

  /** Subnets and security groups for private-endpoint clusters, and the AWS policy Lambda needs to attach to them. */
  private privateNetworking(network: PrivateNetwork) {
    const vpcPolicy = ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaVPCAccessExecutionRole');
    this.role.addManagedPolicy(vpcPolicy);
    acknowledge(
      this.role,
      nagFindingId(this, 'AwsSolutions-IAM4', NagFindingKind.Policy, vpcPolicy.managedPolicyArn),
      'Lambda needs this AWS policy to create and delete its network interfaces in the configured subnets.',
    );
    // The subnets are named explicitly, so the VPC's zones are never consulted (and need no lookup offline).
    const vpc = Vpc.fromVpcAttributes(this, 'Vpc', { vpcId: network.vpcId, availabilityZones: Fn.getAzs() });
    return {
      vpc,
      vpcSubnets: { subnets: network.subnetIds.map((subnetId) => Subnet.fromSubnetId(this, subnetId, subnetId)) },
      securityGroups: network.securityGroupIds.length
        ? network.securityGroupIds.map((groupId) => SecurityGroup.fromSecurityGroupId(this, groupId, groupId))
        : undefined,
    };
  }
}
