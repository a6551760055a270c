/**
 * Alarms on the run metrics the functions emit (lambda/live/run-metrics.ts), shared by both stacks: the staleness
 * alarm (no successful run within twice the schedule interval) and the failure-count alarms (an alert not sent,
 * findings refused by Security Hub). Each watches the series of one service, so two stacks never watch each other's.
 */
import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { RunMetric } from '../lambda/live/run-metrics.js';
import type { StalenessWindow } from './staleness-window.js';
import { TELEMETRY } from './telemetry.js';

const FIVE_MINUTES = Duration.minutes(5);

/** The series of `metricName` emitted by the functions of `service`, summed per `period`. */
function runMetric(metricName: RunMetric, service: string, period: Duration): Metric {
  return new Metric({
    namespace: TELEMETRY.metricNamespace,
    metricName,
    dimensionsMap: { [TELEMETRY.serviceDimension]: service },
    statistic: Stats.SUM,
    period,
  });
}

/**
 * Alarms when no run of `service` succeeded (stored all its findings) within the staleness window: also a schedule
 * that stopped firing, or a run that timed out without an error metric.
 */
export function staleRunsAlarm(scope: Construct, id: string, alarmDescription: string, service: string, staleness: StalenessWindow): Alarm {
  const { periodMinutes, evaluationPeriods } = staleness;
  return new Alarm(scope, id, {
    alarmDescription,
    metric: runMetric(RunMetric.SuccessfulRuns, service, Duration.minutes(periodMinutes)),
    threshold: 1,
    comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
    evaluationPeriods,
    // Every period of the window must be empty: one successful run anywhere in it keeps the alarm quiet.
    datapointsToAlarm: evaluationPeriods,
    // No data is exactly the failure this alarm exists for.
    treatMissingData: TreatMissingData.BREACHING,
  });
}

/**
 * An alarm on one of the failure-count metrics (alert not sent, findings refused by Security Hub): any failure in five
 * minutes alarms. The metric exists only for a run that had such a failure, so no data is no failure.
 */
export function failureCountAlarm(scope: Construct, id: string, alarmDescription: string, service: string, metricName: RunMetric): Alarm {
  return new Alarm(scope, id, {
    alarmDescription,
    metric: runMetric(metricName, service, FIVE_MINUTES),
    threshold: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
}
