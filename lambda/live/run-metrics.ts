/**
 * The run's CloudWatch metrics, named once for every function that emits them (the single-account handler and the
 * organization report) and for the stack's alarms that watch them (lib/ imports these names, never restates them).
 * Namespace and the `service` dimension come from Powertools' environment, which the stack sets.
 */
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { Status } from '../audit/finding.js';

/** Metric names of a run. */
export const RunMetric = {
  /** Clusters with findings in the run: audited, or UNKNOWN because they (or their account or region) could not be. */
  ClustersAudited: 'ClustersAudited',
  /** Clusters, regions and accounts that could not be audited (their findings say UNKNOWN and why). */
  FailedClusters: 'FailedClusters',
  /** Clusters whose findings are not stored. */
  StoreFailures: 'StoreFailures',
  FindingsPass: 'FindingsPass',
  FindingsFail: 'FindingsFail',
  FindingsUnknown: 'FindingsUnknown',
  DurationMs: 'DurationMs',
  /** 1 for a run whose findings were all stored; the stacks' staleness alarms watch it. */
  SuccessfulRuns: 'SuccessfulRuns',
  /** 1 for a run whose alert SNS refused even after the retries; the alert delivery alarms watch it. */
  AlertFailures: 'AlertFailures',
  /** Findings Security Hub refused in a run; the stack's import alarm watches it. */
  SecurityHubFailures: 'SecurityHubFailures',
} as const;
/** One of the names of {@link RunMetric}. */
export type RunMetric = (typeof RunMetric)[keyof typeof RunMetric];

/** What a run did, as far as it got: a run that failed part-way reports what it knows, 0 for the rest. */
export interface RunOutcome {
  clusters: number;
  failedClusters: number;
  storeFailures: number;
  findings: Record<Status, number>;
  durationMs: number;
  /** The run got to its end (its findings stored, its alert decided); false for a run that threw. */
  completed: boolean;
}

/**
 * Adds the run's metrics to `metrics` and publishes them: on every run, also one that found nothing or failed
 * (SuccessfulRuns is then 0), so the staleness alarm sees every run that did not succeed.
 */
export function emitRunMetrics(metrics: Metrics, outcome: RunOutcome): void {
  metrics.addMetric(RunMetric.ClustersAudited, MetricUnit.Count, outcome.clusters);
  metrics.addMetric(RunMetric.FailedClusters, MetricUnit.Count, outcome.failedClusters);
  metrics.addMetric(RunMetric.StoreFailures, MetricUnit.Count, outcome.storeFailures);
  metrics.addMetric(RunMetric.FindingsPass, MetricUnit.Count, outcome.findings.PASS);
  metrics.addMetric(RunMetric.FindingsFail, MetricUnit.Count, outcome.findings.FAIL);
  metrics.addMetric(RunMetric.FindingsUnknown, MetricUnit.Count, outcome.findings.UNKNOWN);
  metrics.addMetric(RunMetric.DurationMs, MetricUnit.Milliseconds, outcome.durationMs);
  metrics.addMetric(RunMetric.SuccessfulRuns, MetricUnit.Count, outcome.completed && outcome.storeFailures === 0 ? 1 : 0);
  metrics.publishStoredMetrics();
}
