/**
 * The organization run as a Standard state machine: Plan (accounts, member roles, clusters, the cluster list to S3),
 * Audit (a Distributed Map reading that list from S3, one small batch of clusters per child execution, each audited
 * by one Lambda invocation with Retry on throttling and a Catch that stores UNKNOWN findings, results written to S3
 * by ResultWriter) and Report (one alert). Payloads between states are pointers: the plan, the list and the results
 * stay in S3, far from the 256 KB limit of a state's input and output.
 */
import { Duration, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import {
  DefinitionBody,
  DistributedMap,
  ItemBatcher,
  JitterType,
  JsonPath,
  LogLevel,
  ResultWriterV2,
  S3JsonItemReader,
  StateMachine,
  StateMachineType,
  TaskInput,
  Timeout,
  type RetryProps,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke, type LambdaInvokeProps } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { STEPFUNCTIONS_USE_DISTRIBUTED_MAP_RESULT_WRITER_V2 } from 'aws-cdk-lib/cx-api';
import { Construct, type IConstruct } from 'constructs';
import { resultsPrefix } from '../lambda/org/run-layout.js';
import { acknowledge, nagFindingId, NagFindingKind } from './nag.js';

/** The state names: the definition's, the local execution's bindings, and what users see in the console. */
export const ORG_STATES = {
  plan: 'Plan',
  audit: 'Audit',
  auditBatch: 'AuditBatch',
  recordFailure: 'RecordFailure',
  report: 'Report',
} as const;

/**
 * Errors of the Lambda service rather than of our code, retried on every task: throttling above all (a fan-out of
 * hundreds of invocations meets the account's concurrency limit), then transient service faults.
 */
export const LAMBDA_TRANSIENT_ERRORS = [
  'Lambda.TooManyRequestsException',
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.ClientExecutionTimeoutException',
] as const;

/** Backoff with full jitter, so throttled children do not retry in lockstep. */
export const TRANSIENT_RETRY: RetryProps = {
  errors: [...LAMBDA_TRANSIENT_ERRORS],
  interval: Duration.seconds(2),
  backoffRate: 2,
  maxAttempts: 6,
  maxDelay: Duration.seconds(60),
  jitterStrategy: JitterType.FULL,
};

/** The functions the states invoke and the bucket of the run's plan and results. */
export interface OrgStateMachineProps {
  plan: LambdaFunction;
  auditBatch: LambdaFunction;
  recordFailure: LambdaFunction;
  report: LambdaFunction;
  bucket: IBucket;
  runsPrefix: string;
  mapConcurrency: number;
  clustersPerBatch: number;
}

/** Bounds a run: a thousand clusters at 40 at once take well under an hour; six leave room for retries. */
const RUN_TIMEOUT = Duration.hours(6);
const IAM5 = 'AwsSolutions-IAM5';

/** The state machine and its log group. */
export class OrgStateMachine extends Construct {
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: OrgStateMachineProps) {
    super(scope, id);
    // Without this flag CDK leaves `resultWriterV2` out of the definition altogether.
    this.node.setContext(STEPFUNCTIONS_USE_DISTRIBUTED_MAP_RESULT_WRITER_V2, true);
    const invoke = (name: string, fn: LambdaFunction, io: Partial<LambdaInvokeProps> = {}) => {
      const task = new LambdaInvoke(this, name, {
        stateName: name,
        lambdaFunction: fn,
        payloadResponseOnly: false,
        retryOnServiceExceptions: false,
        outputPath: '$.Payload',
        ...io,
        // A little longer than the function may run, so the function's own timeout is the one that shows.
        taskTimeout: Timeout.duration((fn.timeout ?? Duration.minutes(15)).plus(Duration.seconds(30))),
      });
      task.addRetry(TRANSIENT_RETRY);
      return task;
    };

    const plan = invoke(ORG_STATES.plan, props.plan, {
      payload: TaskInput.fromObject({
        runId: JsonPath.stringAt('$$.Execution.Name'),
        startedAt: JsonPath.stringAt('$$.Execution.StartTime'),
        request: JsonPath.objectAt('$'),
      }),
      // The plan's pointer becomes the whole state, { plan }, to which the Map adds { results }: the report's input.
      resultSelector: { plan: JsonPath.objectAt('$.Payload') },
      outputPath: undefined,
    });

    const auditBatch = invoke(ORG_STATES.auditBatch, props.auditBatch);
    const recordFailure = invoke(ORG_STATES.recordFailure, props.recordFailure);
    auditBatch.addCatch(recordFailure, { errors: ['States.ALL'], resultPath: '$.error' });

    const audit = new DistributedMap(this, ORG_STATES.audit, {
      stateName: ORG_STATES.audit,
      itemReader: new S3JsonItemReader({ bucket: props.bucket, key: JsonPath.stringAt('$.plan.clustersKey') }),
      itemBatcher: new ItemBatcher({
        maxItemsPerBatch: props.clustersPerBatch,
        // Rendered as written (CDK does not turn paths into `.$` fields here).
        batchInput: { 'runId.$': '$.plan.runId', 'observedAt.$': '$.plan.observedAt' },
      }),
      maxConcurrency: props.mapConcurrency,
      // A child fails only when even its Catch could not store UNKNOWN findings; the report names those clusters.
      toleratedFailurePercentage: 100,
      mapExecutionType: StateMachineType.STANDARD,
      resultWriterV2: new ResultWriterV2({ bucket: props.bucket, prefix: resultsPrefix(props.runsPrefix) }),
      resultPath: '$.results',
    });
    audit.itemProcessor(auditBatch);

    const report = invoke(ORG_STATES.report, props.report);

    const logGroup = new LogGroup(this, 'Logs', { retention: RetentionDays.THREE_MONTHS, removalPolicy: RemovalPolicy.DESTROY });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(plan.next(audit).next(report)),
      timeout: RUN_TIMEOUT,
      tracingEnabled: true,
      // Execution data stays out of the logs: errors may quote cluster details.
      logs: { destination: logGroup, level: LogLevel.ALL, includeExecutionData: false },
      comment: 'EKS network-policy auditor: one organization-wide audit run (the execution name is the run id)',
    });
    this.acknowledgeWildcards(props);
  }

  private acknowledgeWildcards(props: OrgStateMachineProps): void {
    const stateMachine = this.stateMachine;
    const role = stateMachine.role as IRole;
    const stack = Stack.of(this);
    const wildcard = (scope: IConstruct, value: string, reason: string) =>
      acknowledge(scope, nagFindingId(scope, IAM5, NagFindingKind.Resource, value), reason);
    wildcard(role, '*', 'X-Ray segments and CloudWatch Logs log deliveries support no resource-level permissions (CDK grants them for tracing and logging).');
    for (const fn of [props.plan, props.auditBatch, props.recordFailure, props.report]) {
      wildcard(role, `${fn.functionArn}:*`, 'Step Functions may invoke the function\'s versions and aliases (CDK grants them with the function).');
    }
    wildcard(
      role,
      stack.formatArn({ service: 's3', region: '', account: '', resource: props.bucket.bucketName, resourceName: '*' }),
      'ItemReader reads the run\'s cluster list and ResultWriter writes its results; the keys carry the run id.',
    );
    // The Distributed Map starts, describes and stops the child executions of this state machine's own executions.
    const name = Fn.select(6, Fn.split(':', stateMachine.stateMachineArn));
    const executions = `arn:${stack.partition}:states:${stack.region}:${stack.account}:execution:${name}`;
    for (const value of [`${executions}:*`, `${executions}/*:*`]) {
      wildcard(stateMachine, value, 'Child executions of the Distributed Map are named by Step Functions; scoped to this state machine.');
    }
  }
}
