/**
 * The alarms that say the auditor itself is unwell, all notifying the alert topic: the function failed, a run ended
 * in the dead-letter queue, no run succeeded within twice the schedule interval (which also catches a schedule
 * that stopped firing or a function that times out without an error metric), or a run's alert could not be
 * delivered (the findings are stored, so the run itself succeeded and none of the others fires).
 */
import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { StalenessWindow } from './staleness-window.js';
import { TELEMETRY } from './telemetry.js';

/** What the alarms watch and whom they tell. */
export interface AuditorAlarmsProps {
  function: IFunction;
  deadLetterQueue: IQueue;
  staleness: StalenessWindow;
  topic: ITopic;
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
    const { periodMinutes, evaluationPeriods } = props.staleness;
    this.stale = new Alarm(this, 'Stale', {
      alarmDescription: 'The EKS network-policy auditor has not completed a run within twice its schedule interval',
      metric: new Metric({
        namespace: TELEMETRY.metricNamespace,
        metricName: TELEMETRY.successfulRunsMetric,
        dimensionsMap: { [TELEMETRY.serviceDimension]: TELEMETRY.serviceName },
        statistic: Stats.SUM,
        period: Duration.minutes(periodMinutes),
      }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods,
      // Every period of the window must be empty: one successful run anywhere in it keeps the alarm quiet.
      datapointsToAlarm: evaluationPeriods,
      // No data is exactly the failure this alarm exists for.
      treatMissingData: TreatMissingData.BREACHING,
    });
    // When the topic itself is what fails, this notification fails too: the alarm state in CloudWatch still shows it.
    this.alertDelivery = failureCountAlarm(
      this,
      'AlertDelivery',
      "A run of the EKS network-policy auditor could not publish its alert (its findings are stored; see the function's log group for 'alert not sent')",
      TELEMETRY.alertFailuresMetric,
    );
    if (props.securityHub) {
      this.securityHubImport = failureCountAlarm(
        this,
        'SecurityHubImport',
        "Security Hub refused findings of the EKS network-policy auditor (they are stored in S3; see the function's log group for 'findings not imported into Security Hub')",
        TELEMETRY.securityHubFailuresMetric,
      );
    }
    const notify = new SnsAction(props.topic);
    const alarms = [this.errors, this.deadLetters, this.stale, this.alertDelivery, ...(this.securityHubImport ? [this.securityHubImport] : [])];
    for (const alarm of alarms) alarm.addAlarmAction(notify);
  }
}

/**
 * An alarm on one of the function's failure-count metrics (alert not sent, findings refused by Security Hub): any
 * failure in five minutes alarms. The metric exists only for a run that had such a failure, so no data is no failure.
 */
function failureCountAlarm(scope: Construct, id: string, alarmDescription: string, metricName: string): Alarm {
  return new Alarm(scope, id, {
    alarmDescription,
    metric: new Metric({
      namespace: TELEMETRY.metricNamespace,
      metricName,
      dimensionsMap: { [TELEMETRY.serviceDimension]: TELEMETRY.serviceName },
      statistic: Stats.SUM,
      period: FIVE_MINUTES,
    }),
    threshold: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
}
