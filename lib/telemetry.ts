/**
 * Names shared by the function's Powertools configuration and the alarms that watch it. The handler emits the
 * `SuccessfulRuns` metric (Sum = 1 per run that stored its findings) in this namespace with the `service` dimension
 * set to {@link SERVICE_NAME}; the staleness alarm watches exactly that series, and the delivery alarm the `AlertFailures` one.
 */
export const TELEMETRY = {
  serviceName: 'eks-netpol-auditor',
  metricNamespace: 'EksNetpolAuditor',
  successfulRunsMetric: 'SuccessfulRuns',
  /** Emitted (Sum = 1) by a run whose alert SNS refused even after the retries. */
  alertFailuresMetric: 'AlertFailures',
  /** Emitted (Sum = findings refused) by a run whose Security Hub import was refused in part or in full. */
  securityHubFailuresMetric: 'SecurityHubFailures',
  /** Powertools adds the service name as this dimension on every metric. */
  serviceDimension: 'service',
  logLevel: 'INFO',
} as const;
