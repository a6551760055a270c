/**
 * The organization benchmark (issue 12): one organization run of 1,000 clusters in 50 accounts with 100 ms on every
 * request, in a child process; prints the wall time, the concurrency each account's EKS API saw, the requests,
 * invocations and GB-seconds counted, and the cost of the run at the list prices shown.
 */
import { ORG_STATES } from '../../lib/org-state-machine.js';
import { benchScript, runChild } from '../child-process.js';
import { millis, size, table } from '../report.js';
import type { OrganizationMeasurement, OrganizationSpec } from './run-organization.js';

const RUN_ORGANIZATION = benchScript('organization/run-organization.ts');

/**
 * Public list prices, us-east-1, as of 2026 (USD). STS, Organizations, Account Management and the EKS read APIs are
 * free; CloudWatch Logs ingestion of the state machine's log and SNS e-mail deliveries are left out (cents a month).
 */
export const PRICES = {
  lambdaRequest: 0.2 / 1e6,
  lambdaArmGbSecond: 0.0000133334,
  stepFunctionsTransition: 0.025 / 1000,
  s3Put: 0.005 / 1000,
  s3Get: 0.0004 / 1000,
  snsPublish: 0.5 / 1e6,
} as const;

/** Each function's memory in MB as the stack configures it (lib/org-functions.ts; the audit function's is the default). */
const MEMORY_MB: Record<string, number> = {
  [ORG_STATES.plan]: 512,
  [ORG_STATES.auditBatch]: 1536,
  [ORG_STATES.recordFailure]: 256,
  [ORG_STATES.report]: 2048,
};

/** Runs the organization benchmark, printing through `print`. */
export async function runOrganizationBenchmark(spec: OrganizationSpec, print: (line: string) => void): Promise<void> {
  const measured = await runChild<OrganizationMeasurement>(RUN_ORGANIZATION, [JSON.stringify(spec)]);
  const clusters = spec.accounts * spec.regions.length * spec.clustersPerRegion;
  const { stats, requests, summary } = measured;
  print(
    `${clusters.toLocaleString('en-US')} clusters in ${spec.accounts} accounts × ${spec.regions.length} regions, ` +
      `${spec.latencyMs} ms on every AWS and Kubernetes request; MaxConcurrency ${spec.mapConcurrency}, ` +
      `${spec.clustersPerBatch} clusters per invocation (one process runs every invocation here)`,
  );
  print(
    `wall time ${millis(measured.wallMs)}; ${summary.clusters} clusters planned, ${summary.objects} findings objects, ` +
      `${summary.notAudited} not audited; ${stats.childExecutions} child executions, at most ${stats.peakChildren} at once; peak RSS ${size(measured.peakRss)}`,
  );
  for (const line of measured.notAuditedSample) print(`  not audited, e.g. ${line.slice(4)}`);
  print(
    `concurrency reached per account (EKS requests in flight): at most ${measured.peakEksPerAccount.max}, median ${measured.peakEksPerAccount.median}, ` +
      `of up to ${spec.mapConcurrency * spec.clustersPerBatch} clusters audited at once`,
  );
  print(
    `requests: Organizations ${requests.organizations}, STS ${requests.sts}, Account ${requests.account}, EKS ${requests.eks}, ` +
      `Kubernetes ${requests.kubernetes}, S3 PUT ${requests.s3Put}, S3 GET ${requests.s3Get}, SNS ${requests.snsPublish}`,
  );

  const invocations = Object.values(stats.attempts).reduce((sum, count) => sum + count, 0) + 1;
  const gbSeconds = Object.entries(stats.handlerMs).reduce((sum, [state, ms]) => sum + (ms / 1000) * ((MEMORY_MB[state] ?? 256) / 1024), 0);
  // Every Task attempt enters a state; the Distributed Map state itself is one more.
  const transitions = Object.values(stats.attempts).reduce((sum, count) => sum + count, 0) + 1;
  const lines: Array<[string, number, number]> = [
    ['Lambda requests (the start function included)', invocations, PRICES.lambdaRequest],
    ['Lambda GB-seconds (Arm)', gbSeconds, PRICES.lambdaArmGbSecond],
    ['Step Functions state transitions (Standard)', transitions, PRICES.stepFunctionsTransition],
    ['S3 PUT requests', requests.s3Put ?? 0, PRICES.s3Put],
    ['S3 GET requests', requests.s3Get ?? 0, PRICES.s3Get],
    ['SNS publishes', requests.snsPublish ?? 0, PRICES.snsPublish],
  ];
  const total = lines.reduce((sum, [, quantity, price]) => sum + quantity * price, 0);
  print('');
  print(
    table(
      ['cost per run', 'quantity', 'unit price (USD)', 'cost (USD)'],
      [
        ...lines.map(([label, quantity, price]) => [label, quantity.toFixed(quantity % 1 === 0 ? 0 : 1), price.toPrecision(3), (quantity * price).toFixed(4)]),
        ['total', '', '', total.toFixed(4)],
      ],
    ),
  );
  print(`per month at one run a day: $${(total * 30).toFixed(2)}; GB-seconds are measured in one shared process, so they overstate what separate Lambda instances would bill`);
}
