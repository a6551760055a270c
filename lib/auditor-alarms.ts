/**
 * The alarms that say the auditor itself is unwell, all notifying the alert topic: the function failed, a run ended
 * in the dead-letter queue, no run succeeded within twice the schedule interval (which also catches a schedule
 * that stopped firing or a function that times out without an error metric), or a run's alert could not be
 * delivered (the findings are stored, so the run itself succeeded and none of the others fires).
 */
import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { StalenessWindow } from './staleness-window.js';
import { RunMetric } from '../lambda/live/run-metrics.js';
import { failureCountAlarm, staleRunsAlarm } from './run-alarms.js';

/** What the alarms watch and whom they tell. */
export interface AuditorAlarmsProps {
  function: IFunction;
  deadLetterQueue: IQueue;
  staleness: StalenessWindow;
  topic: ITopic;
  /** The `service` dimension of the function's metrics. */
  service: string;
  /** Watch the Security Hub import too. */
  securityHub?: boolean;
}

const FIVE_MINUTES = Duration.minutes(5);

/** The four alarms, each with the alert topic as its alarm action. */
export class AuditorAlarms extends Construct {
  readonly errors: Alarm;
  readonly deadLetters: Alarm;
  readonly stale: Alarm;
  readonly alertDelivery: Alarm;
  readonly securityHubImport?: Alarm;

  constructor(scope: Construct, id: string, props: AuditorAlarmsProps) {
    super(scope, id);
    this.errors = new Alarm(this, 'Errors', {
      alarmDescription: 'The EKS network-policy auditor function failed (see its log group)',
      metric: props.function.metricErrors({ period: FIVE_MINUTES, statistic: Stats.SUM }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.deadLetters = new Alarm(this, 'DeadLetters', {
      alarmDescription: 'A run of the EKS network-policy auditor failed for good; its event is in the dead-letter queue',
      metric: props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: FIVE_MINUTES,
        statistic: Stats.MAXIMUM,
      }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.stale = staleRunsAlarm(
      this,
      'Stale',
      'The EKS network-policy auditor has not completed a run within twice its schedule interval',
      props.service,
      props.staleness,
    );
    // When the topic itself is what fails, this notification fails too: the alarm state in CloudWatch still shows it.
    this.alertDelivery = failureCountAlarm(
      this,
      'AlertDelivery',
      "A run of the EKS network-policy auditor could not publish its alert (its findings are stored; see the function's log group for 'alert not sent')",
      props.service,
      RunMetric.AlertFailures,
    );
    if (props.securityHub) {
      this.securityHubImport = failureCountAlarm(
        this,
        'SecurityHubImport',
        "Security Hub refused findings of the EKS network-policy auditor (they are stored in S3; see the function's log group for 'findings not imported into Security Hub')",
        props.service,
        RunMetric.SecurityHubFailures,
      );
    }
    const notify = new SnsAction(props.topic);
    const alarms = [this.errors, this.deadLetters, this.stale, this.alertDelivery, ...(this.securityHubImport ? [this.securityHubImport] : [])];
    for (const alarm of alarms) alarm.addAlarmAction(notify);
  }
}
