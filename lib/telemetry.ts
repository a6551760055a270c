/**
 * Powertools' configuration shared by the functions and the alarms that watch their metrics. The metric names come
 * from lambda/live/run-metrics.ts (`RunMetric`), where the functions emit them; here only where they are emitted:
 * this namespace, with the `service` dimension set to the deployment's service name (lib/settings.ts
 * `DeploymentNames`), so two stacks in one account never feed each other's alarms.
 */
export const TELEMETRY = {
  metricNamespace: 'EksNetpolAuditor',
  /** Powertools adds the service name as this dimension on every metric. */
  serviceDimension: 'service',
  logLevel: 'INFO',
} as const;
