/**
 * The organization mode's functions, each with its own role and log group: `start` (the schedule's target, which
 * starts the run's execution), `plan`, `auditBatch` and `recordFailure` (the Distributed Map's child and its Catch),
 * and `report`. Only `plan` and `auditBatch` may assume the member role, so the member role trusts exactly those two.
 * The batches store as the single-account function does (each cluster's state object, its previous findings, the
 * suppressions), so they read and write what it reads and writes.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal, type IRole } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DEFAULT_RUNS_PREFIX, ORG_ENV } from '../lambda/org/org-config.js';
import { TOPIC_KEY_ACTIONS } from './alerting.js';
import { STATE_PREFIX } from '../lambda/report/run-state.js';
import { BUNDLED_SUPPRESSIONS, organizationEnvironment } from './auditor-environment.js';
import { bundledFunction } from './bundled-function.js';
import { deadLetterQueue } from './dead-letter-queue.js';
import { ORG_HANDLER_ENTRY } from './handler-bundle.js';
import { acknowledge, nagFindingId, NagFindingKind } from './nag.js';
import type { AuditorSettings, OrganizationSettings } from './settings.js';

/** What the functions read and write. */
export interface OrgFunctionsProps {
  settings: AuditorSettings;
  organization: OrganizationSettings;
  bucket: IBucket;
  prefix: string;
  topic: ITopic;
  topicKey: IKey;
}

const IAM5 = 'AwsSolutions-IAM5';
/** The plan and report run once per run: a minute of planning per hundred accounts is generous. */
const STEP_TIMEOUT = Duration.minutes(15);

/** The five functions and the start function's dead-letter queue. */
export class OrgFunctions extends Construct {
  readonly start: NodejsFunction;
  readonly plan: NodejsFunction;
  readonly auditBatch: NodejsFunction;
  readonly recordFailure: NodejsFunction;
  readonly report: NodejsFunction;
  readonly startDeadLetterQueue: Queue;
  /** The roles the member role trusts. */
  readonly memberRoleCallers: IRole[];

  /** Points the start function at the state machine it starts, and lets it start executions of it. */
  startsRunsOf(stateMachine: IStateMachine): void {
    this.start.addEnvironment(ORG_ENV.stateMachineArn, stateMachine.stateMachineArn);
    stateMachine.grantStartExecution(this.start);
  }

  constructor(scope: Construct, id: string, props: OrgFunctionsProps) {
    super(scope, id);
    const { settings, organization, bucket } = props;
    const stack = Stack.of(this);
    const environment = organizationEnvironment(settings, organization, {
      bucketName: bucket.bucketName,
      topicArn: props.topic.topicArn,
      regions: settings.regions,
      partition: stack.partition,
    });
    const findingObjects = bucket.arnForObjects(`${props.prefix}/*`);
    const runObjects = bucket.arnForObjects(`${DEFAULT_RUNS_PREFIX}/*`);
    const memberRoles = stack.formatArn({ service: 'iam', region: '', account: '*', resource: 'role', resourceName: organization.memberRoleName });
    const assumeMemberRole = new PolicyStatement({
      sid: 'AssumeMemberRole',
      actions: ['sts:AssumeRole'],
      resources: [memberRoles],
      ...(organization.organizationId ? { conditions: { StringEquals: { 'aws:ResourceOrgID': organization.organizationId } } } : {}),
    });
    const writeFindings = new PolicyStatement({ sid: 'WriteFindings', actions: ['s3:PutObject'], resources: [findingObjects] });
    const stateObjects = bucket.arnForObjects(`${STATE_PREFIX}/*`);
    const suppressionsObject = settings.suppressionsKey ? [bucket.arnForObjects(settings.suppressionsKey)] : [];
    // A batch stores as the single-account function does: each cluster's previous run (state object, then findings)
    // read, its findings and new state written, the suppressions object read.
    const storeWithHistory = [
      new PolicyStatement({ sid: 'WriteFindings', actions: ['s3:PutObject'], resources: [findingObjects, stateObjects] }),
      new PolicyStatement({ sid: 'ReadHistory', actions: ['s3:GetObject'], resources: [findingObjects, stateObjects, ...suppressionsObject] }),
      tellMissingObjects(bucket),
    ];
    // The bundled suppressions file, in the functions that apply them (the batches) and report on them (the report).
    const files = settings.suppressionsFile ? { [BUNDLED_SUPPRESSIONS]: settings.suppressionsFile } : {};

    const make = (name: string, handler: string, description: string, statements: PolicyStatement[], timeout: Duration, memorySize = 512, bundled = {}) => {
      const role = new Role(this, `${name}Role`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com'), description });
      for (const statement of statements) role.addToPrincipalPolicy(statement);
      const logGroup = new LogGroup(this, `${name}Logs`, { retention: RetentionDays.THREE_MONTHS, removalPolicy: RemovalPolicy.DESTROY });
      const fn = bundledFunction(this, name, { entry: ORG_HANDLER_ENTRY, handler, description, role, logGroup, environment, timeout, memorySize, files: bundled });
      logGroup.grantWrite(role);
      return fn;
    };

    this.startDeadLetterQueue = deadLetterQueue(this, 'StartDeadLetterQueue');
    this.start = make('Start', 'start', 'EKS network-policy auditor: starts one organization run per scheduled event', [], Duration.seconds(30), 256);
    // Starting is idempotent (the execution is named after the run), so a failed start may simply be retried.
    this.start.configureAsyncInvoke({ onFailure: new SqsDestination(this.startDeadLetterQueue), retryAttempts: 2 });

    this.plan = make(
      'Plan',
      'plan',
      'EKS network-policy auditor: lists the organization accounts and their EKS clusters',
      [
        new PolicyStatement({
          sid: 'ListAccounts',
          actions: ['organizations:ListAccounts', 'organizations:ListAccountsForParent', 'organizations:ListOrganizationalUnitsForParent'],
          resources: ['*'],
        }),
        assumeMemberRole,
        writeFindings,
        new PolicyStatement({ sid: 'WritePlan', actions: ['s3:PutObject'], resources: [runObjects] }),
      ],
      STEP_TIMEOUT,
    );
    this.auditBatch = make(
      'AuditBatch',
      'auditBatch',
      'EKS network-policy auditor: audits a batch of clusters through their accounts\' member roles',
      [assumeMemberRole, ...storeWithHistory],
      Duration.seconds(settings.timeoutSeconds),
      settings.memorySize,
      files,
    );
    this.recordFailure = make(
      'RecordFailure',
      'recordFailure',
      'EKS network-policy auditor: stores UNKNOWN findings for the clusters of a failed batch',
      storeWithHistory,
      Duration.minutes(2),
      256,
    );
    this.report = make(
      'Report',
      'report',
      'EKS network-policy auditor: sends the organization run\'s alert from its stored results',
      [
        new PolicyStatement({ sid: 'ReadRun', actions: ['s3:GetObject'], resources: [runObjects, findingObjects, ...suppressionsObject] }),
        tellMissingObjects(bucket),
        new PolicyStatement({ sid: 'PublishAlert', actions: ['sns:Publish'], resources: [props.topic.topicArn] }),
        new PolicyStatement({ sid: 'EncryptAlert', actions: [...TOPIC_KEY_ACTIONS], resources: [props.topicKey.keyArn] }),
      ],
      STEP_TIMEOUT,
      2048,
      files,
    );
    this.memberRoleCallers = [this.plan.role as IRole, this.auditBatch.role as IRole];

    // Acknowledged once on this construct: the same resource appears in several of its roles.
    const wildcard = (value: string, reason: string) => acknowledge(this, nagFindingId(this, IAM5, NagFindingKind.Resource, value), reason);
    wildcard('*', 'Organizations listing actions have no resource-level permissions; only the plan role has them.');
    wildcard(memberRoles, `Only the member role (${organization.memberRoleName}) of each account, which trusts only the plan and audit roles.`);
    wildcard(findingObjects, 'Object keys carry the run id, account, region and cluster; writes are limited to the findings prefix.');
    wildcard(runObjects, 'Each run writes and reads its plan under its own run id, within the runs prefix.');
    wildcard(stateObjects, 'One state object per cluster, named after its account, region and name; limited to the state prefix.');
  }
}

/** Without it a missing object reads as 403, not 404: a cluster's first run (or an absent suppressions object) would look like a failure. */
function tellMissingObjects(bucket: IBucket): PolicyStatement {
  return new PolicyStatement({ sid: 'TellMissingObjects', actions: ['s3:ListBucket'], resources: [bucket.bucketArn] });
}
