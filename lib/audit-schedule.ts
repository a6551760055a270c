/**
 * The schedule: an EventBridge rule that invokes the function with the standard "Scheduled Event" (its `id` and
 * `time` identify the run, the same on every retry of that run). Events the rule cannot deliver after its retries go
 * to the function's dead-letter queue, so a missed run is visible there and on the staleness alarm.
 */
import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** When to run and where undeliverable events go. */
export interface AuditScheduleProps {
  /** A validated EventBridge schedule expression, `rate(...)` or `cron(...)`. */
  expression: string;
  target: IFunction;
  deadLetterQueue: IQueue;
}

/** Delivery retries for one scheduled event, e.g. while a manual run holds the function's single slot. */
const SCHEDULE_RETRY_ATTEMPTS = 4;

/** The rule that starts every scheduled run. */
export class AuditSchedule extends Construct {
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: AuditScheduleProps) {
    super(scope, id);
    this.rule = new Rule(this, 'Rule', {
      description: 'Starts the EKS network-policy audit',
      schedule: Schedule.expression(props.expression),
      targets: [
        new LambdaFunction(props.target, {
          deadLetterQueue: props.deadLetterQueue,
          retryAttempts: SCHEDULE_RETRY_ATTEMPTS,
          maxEventAge: Duration.hours(2),
        }),
      ],
    });
  }
}
