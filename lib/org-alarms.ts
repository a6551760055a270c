/**
 * The alarms that say the organization auditor itself is unwell, notifying the alert topic: a run's execution failed,
 * timed out or was aborted; a scheduled start failed for good (its event is in the dead-letter queue); no run
 * stored every cluster's findings within twice the schedule interval (the report's SuccessfulRuns metric); or a run's
 * alert could not be delivered (the report's AlertFailures metric).
 */
import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, MathExpression, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { RunMetric } from '../lambda/live/run-metrics.js';
import { failureCountAlarm, staleRunsAlarm } from './run-alarms.js';
import type { StalenessWindow } from './staleness-window.js';

/** What the alarms watch and whom they tell. */
export interface OrgAlarmsProps {
  stateMachine: IStateMachine;
  startDeadLetterQueue: IQueue;
  staleness: StalenessWindow;
  topic: ITopic;
  /** The `service` dimension of the functions' metrics. */
  service: string;
}

const FIVE_MINUTES = Duration.minutes(5);

/** The four alarms, each with the alert topic as its alarm action. */
export class OrgAlarms extends Construct {
  readonly failedRuns: Alarm;
  readonly deadLetters: Alarm;
  readonly stale: Alarm;
  readonly alertDelivery: Alarm;

  constructor(scope: Construct, id: string, props: OrgAlarmsProps) {
    super(scope, id);
    const { stateMachine } = props;
    this.failedRuns = new Alarm(this, 'FailedRuns', {
      alarmDescription: 'An organization run of the EKS network-policy auditor failed, timed out or was aborted',
      metric: new MathExpression({
        expression: 'failed + timedOut + aborted',
        usingMetrics: {
          failed: stateMachine.metricFailed({ statistic: Stats.SUM }),
          timedOut: stateMachine.metricTimedOut({ statistic: Stats.SUM }),
          aborted: stateMachine.metricAborted({ statistic: Stats.SUM }),
        },
        period: FIVE_MINUTES,
      }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.deadLetters = new Alarm(this, 'DeadLetters', {
      alarmDescription: 'A scheduled organization run could not be started; its event is in the dead-letter queue',
      metric: props.startDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: Stats.MAXIMUM }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    // The report emits SuccessfulRuns once it has read every planned cluster's stored findings back.
    this.stale = staleRunsAlarm(
      this,
      'Stale',
      'No organization run of the EKS network-policy auditor stored the findings of every cluster within twice its schedule interval',
      props.service,
      props.staleness,
    );
    this.alertDelivery = failureCountAlarm(
      this,
      'AlertDelivery',
      "An organization run of the EKS network-policy auditor could not publish its alert (its findings are stored; see the report function's log group for 'alert not sent')",
      props.service,
      RunMetric.AlertFailures,
    );
    const notify = new SnsAction(props.topic);
    for (const alarm of [this.failedRuns, this.deadLetters, this.stale, this.alertDelivery]) alarm.addAlarmAction(notify);
  }
}
