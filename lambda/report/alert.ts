/**
 * The run's alert: one plain-text message for people (email, chat) grouped by cluster, with a short subject and two
 * message attributes for subscription filters. Building it is pure; `sns-alert.ts` delivers it.
 */
import { CONTROL_ID, Change, CheckId, SEVERITY_ORDER, Severity, Status, atOrAbove, type Finding } from '../audit/finding.js';
import { runFailuresQuery } from './athena.js';
import { redact } from '../secrets.js';
import { PARTITION_KEY } from './store-layout.js';
import { clusterKey, compareText, rank, resourceLabel, summarize, type CheckFailures, type ClusterSummary } from './summary.js';

/** A cluster as the alert names it: findings' clusters (`account_id`) and collection's ClusterIdentity (`accountId`) both fit. */
export interface AlertCluster {
  name: string;
  region?: string | null;
  account_id?: string | null;
  accountId?: string | null;
}

/**
 * Which failures the alert lists in full: `new` those that were not failing in the cluster's previous run (and those
 * whose history is unknown), with ongoing ones as counts per check and resolved ones as a count; `all` every failure.
 */
export const AlertOn = { New: 'new', All: 'all' } as const;
export type AlertOn = (typeof AlertOn)[keyof typeof AlertOn];

/** Everything one run's alert reports. */
export interface AlertInput {
  runId: string;
  findings: Finding[];
  /** Clusters that could not be audited at all, and why. */
  failedClusters: Array<{ cluster: AlertCluster; reason: string }>;
  /** Failures below this severity do not alert. */
  threshold: Severity;
  alertOn: AlertOn;
  /** Lines about the run itself for the reader (an expired suppression, one that matched nothing). */
  warnings?: string[];
  /** Where the run's findings were stored: bucket, prefix and the object keys written. */
  location: { bucket: string; prefix: string; keys: string[] };
  /** The Glue table and workgroup, for the ready-to-paste query; left out of the message when absent. */
  athena?: { database: string; table: string; workgroup: string };
}

/** The SNS message: subject, plain-text body and the attributes subscribers filter on. */
export interface Alert {
  subject: string;
  message: string;
  attributes: { severity: Severity; control_id: string };
}

/**
 * Budget of the message body in UTF-8 bytes. SNS refuses a publish over 256 KiB, counting the message, the subject
 * and every attribute's name, type and value; 16 KiB stay free for those and for the XML form encoding overhead.
 */
export const MAX_MESSAGE_BYTES = 240 * 1024;

/** SNS subjects must be under 100 characters. */
export const MAX_SUBJECT_LENGTH = 99;

/** Failures listed per check per cluster; the rest are counted, and the full list is in the store. */
export const TOP_FAILURES_PER_CHECK = 10;

const MAX_FIELD_BYTES = 1000;
const MAX_REMEDIATION_BYTES = 2000;
const MAX_NOT_AUDITED_LISTED = 50;
const MAX_OBJECTS_LISTED = 10;

/**
 * Builds the run's alert, or `undefined` when nothing calls for one: no failure at or above `threshold` to list
 * (with `alertOn: new`, no new one) and every cluster audited. Suppressed failures never alert; they are counted in
 * one line. The body lists each cluster with its control verdict, its ongoing failures counted per check (`new`), and
 * its listed failures (Medium first, then in check order), each with its remediation; then the clusters that could
 * not be audited and why; then where the full findings are and a query for this run. However many findings there
 * are, the body stays under {@link MAX_MESSAGE_BYTES}, ending the list with "… and N more failures"; text is only
 * ever cut between characters.
 */
export function buildAlert(input: AlertInput): Alert | undefined {
  // The control roll-up is each cluster's verdict line, not one more failure: counting it would count twice.
  const reportable = input.findings.filter(
    (finding) => finding.check_id !== CheckId.Control && atOrAbove(finding.severity, input.threshold),
  );
  const failing = reportable.filter((finding) => finding.status === Status.Fail);
  const unsuppressed = failing.filter((finding) => finding.suppression === null);
  const lifecycle: Lifecycle = {
    alertOn: input.alertOn,
    suppressed: failing.length - unsuppressed.length,
    ongoing: input.alertOn === AlertOn.New ? unsuppressed.filter((finding) => finding.change === Change.Ongoing) : [],
    resolved: reportable.filter((finding) => finding.change === Change.Resolved).length,
  };
  // With alertOn new, a failure whose history is unknown (change null) is listed: never hidden for want of a history.
  const failures = input.alertOn === AlertOn.New ? unsuppressed.filter((finding) => finding.change !== Change.Ongoing) : unsuppressed;
  if (failures.length === 0 && input.failedClusters.length === 0) return undefined;

  const listed = new Set(failures);
  const clusters = worstFirst(summarize(input.findings, (finding) => listed.has(finding)));
  const ongoing = new Map(summarize(lifecycle.ongoing).map((summary) => [summary.key, summary.failures]));
  const clusterCount = new Set([
    ...clusters.map((cluster) => cluster.key),
    ...input.failedClusters.map(({ cluster }) => alertClusterKey(cluster)),
  ]).size;
  const header = [...headerLines(input, failures, clusterCount, lifecycle), ...warningLines(input.warnings ?? [])];
  const tail = [...notAuditedLines(input.failedClusters), ...locationLines(input)];
  const detail = fitEntries(
    clusters.flatMap((cluster) => clusterEntries(cluster, ongoing.get(cluster.key) ?? [])),
    MAX_MESSAGE_BYTES - byteLength(`${[...header, '', '', ...tail].join('\n')}\n`),
  );

  return {
    subject: subjectLine(failures, input.failedClusters.length, clusterCount, input.alertOn),
    message: `${[...header, '', ...detail, '', ...tail].join('\n')}\n`,
    attributes: { severity: highestSeverity(failures), control_id: CONTROL_ID },
  };
}

/** What the run changed, as the header counts it. */
interface Lifecycle {
  alertOn: AlertOn;
  suppressed: number;
  /** Failures of the previous run still failing (`alertOn: new` only; they are counted, not listed). */
  ongoing: Finding[];
  resolved: number;
}

const STATUS_ORDER: readonly string[] = [Status.Fail, Status.Unknown, Status.Pass];

/** Clusters worst control verdict first, then by name, region and account. */
function worstFirst(clusters: ClusterSummary[]): ClusterSummary[] {
  return [...clusters].sort(
    (a, b) =>
      rank(STATUS_ORDER, a.control?.status) - rank(STATUS_ORDER, b.control?.status) ||
      compareText(a.cluster.name, b.cluster.name) ||
      compareText(a.cluster.region ?? '', b.cluster.region ?? '') ||
      compareText(a.cluster.account_id ?? '', b.cluster.account_id ?? ''),
  );
}

/** A piece of the cluster list and the failures it accounts for (listed, or counted in a check's "… and N more"). */
interface Entry {
  text: string;
  failures: number;
}

/**
 * The cluster's verdict line, its ongoing failures counted per check, then per listed check: its failures (top ones listed) and the remediation of each listed
 * failure, said once for the failures that share it.
 */
function clusterEntries(summary: ClusterSummary, ongoing: CheckFailures[]): Entry[] {
  const verdict = summary.control
    ? `${summary.control.status}: ${field(summary.control.message)}`
    : 'no control verdict in the findings';
  const entries: Entry[] = [{ text: `${clusterLabel(summary.cluster)}: ${verdict}`, failures: 0 }];
  if (ongoing.length > 0) {
    const counts = ongoing.map((check) => `${check.checkId} ${check.failures.length}`);
    entries.push({ text: `  Still failing since the previous run (not listed again): ${counts.join(', ')}`, failures: 0 });
  }
  for (const check of summary.failures) {
    const count = check.failures.length === 1 ? '1 failure' : `${check.failures.length} failures`;
    entries.push({ text: `  [${check.severity}] ${check.checkId}: ${count}`, failures: 0 });
    const listed = check.failures.slice(0, TOP_FAILURES_PER_CHECK);
    for (const failure of listed) {
      entries.push({ text: `    - ${resourceLabel(failure)}: ${field(failure.message)}`, failures: 1 });
    }
    const hidden = check.failures.length - listed.length;
    if (hidden > 0) {
      entries.push({ text: `    … and ${hidden} more ${check.checkId} failures in this cluster`, failures: hidden });
    }
    const shared = check.remediations.length === 1;
    for (const group of check.remediations) {
      const shown = group.failures.filter((failure) => listed.includes(failure));
      if (shown.length === 0) continue;
      const label = shared ? 'Remediation' : `Remediation for ${shown.map(resourceLabel).join(', ')}`;
      entries.push({ text: indent(`${label}: ${field(group.remediation, MAX_REMEDIATION_BYTES)}`, '    '), failures: 0 });
    }
  }
  return entries;
}

/** Keeps entries in order while they fit in `budget` bytes; the rest become one "… and N more failures" line. */
function fitEntries(entries: Entry[], budget: number): string[] {
  const overflowReserve = byteLength(`${overflowLine(Number.MAX_SAFE_INTEGER)}\n`);
  const lines: string[] = [];
  let used = 0;
  let index = 0;
  for (; index < entries.length; index += 1) {
    const size = byteLength(`${(entries[index] as Entry).text}\n`);
    if (used + size > budget - overflowReserve) break;
    lines.push((entries[index] as Entry).text);
    used += size;
  }
  const rest = entries.slice(index);
  const more = rest.reduce((sum, entry) => sum + entry.failures, 0);
  if (more > 0) lines.push(overflowLine(more));
  else if (rest.length > 0) lines.push('… and more clusters without failures (all are in the findings below)');
  return lines;
}

function overflowLine(failures: number): string {
  return `… and ${failures} more failures (all are in the findings below)`;
}

function headerLines(input: AlertInput, failures: Finding[], clusterCount: number, lifecycle: Lifecycle): string[] {
  const counts = severityCounts(failures);
  const adjective = lifecycle.alertOn === AlertOn.New ? 'new ' : '';
  const noun = failures.length === 1 ? 'failure' : 'failures';
  const failed = failures.length === 0 ? `no ${adjective}failures` : `${failures.length} ${adjective}${noun} (${counts})`;
  const changes = [
    ...(lifecycle.alertOn === AlertOn.New ? [`${lifecycle.ongoing.length} still failing`, `${lifecycle.resolved} resolved since the previous run`] : []),
    ...(lifecycle.suppressed > 0 ? [`${lifecycle.suppressed} suppressed (accepted risks, not listed)`] : []),
  ];
  return [
    `CIS EKS "Ensure Network Policy is Enabled and set as appropriate" (Kubescape ${CONTROL_ID}), ` +
      `audit run ${field(input.runId)}`,
    `${plural(clusterCount, 'cluster')}: ${failed} at or above ${input.threshold}, ` +
      `${input.failedClusters.length} not audited.`,
    ...(changes.length > 0 ? [`${changes.join(', ')}.`] : []),
  ];
}

function warningLines(warnings: string[]): string[] {
  if (warnings.length === 0) return [];
  const listed = warnings.slice(0, MAX_NOT_AUDITED_LISTED).map((warning) => `  - ${field(warning)}`);
  const hidden = warnings.length - listed.length;
  return ['', 'Warnings:', ...listed, ...(hidden > 0 ? [`  … and ${hidden} more warnings (in the function's log)`] : [])];
}

function notAuditedLines(failedClusters: AlertInput['failedClusters']): string[] {
  if (failedClusters.length === 0) return [];
  const listed = failedClusters
    .slice(0, MAX_NOT_AUDITED_LISTED)
    .map(({ cluster, reason }) => `  - ${clusterLabel(cluster)}: ${field(reason)}`);
  const hidden = failedClusters.length - MAX_NOT_AUDITED_LISTED;
  return [
    `Not audited (${failedClusters.length}):`,
    ...listed,
    ...(hidden > 0 ? [`  … and ${hidden} more clusters not audited`] : []),
    '',
  ];
}

/** Where the full findings are (s3:// URIs) and, when the table is known, the query of this run's failures. */
function locationLines(input: AlertInput): string[] {
  const { bucket, keys } = input.location;
  if (keys.length === 0) return ['No findings were stored for this run.'];
  const hidden = keys.length - MAX_OBJECTS_LISTED;
  const folders = [...new Set(keys.map((key) => `s3://${bucket}/${key.slice(0, key.lastIndexOf('/') + 1)}`))];
  const lines = [
    'Full findings (gzipped JSON Lines):',
    ...keys.slice(0, MAX_OBJECTS_LISTED).map((key) => `  s3://${bucket}/${key}`),
    ...(hidden > 0 ? [`  … and ${hidden} more objects under ${folders.join(', ')}`] : []),
  ];
  if (!input.athena) return lines;
  const { database, table, workgroup } = input.athena;
  // The partition the objects were filed under (a retried run keeps its first day), so the query finds them.
  const dt = new RegExp(`(?:^|/)${PARTITION_KEY}=(\\d{4}-\\d{2}-\\d{2})/`).exec(keys[0] ?? '')?.[1];
  return [
    ...lines,
    '',
    `This run's failures in Athena (workgroup ${workgroup}):`,
    `${runFailuresQuery(`"${database}"."${table}"`, { runId: input.runId, dt })};`,
  ];
}

function subjectLine(failures: Finding[], notAudited: number, clusterCount: number, alertOn: AlertOn): string {
  const noun = `${alertOn === AlertOn.New ? 'new ' : ''}${failures.length === 1 ? 'failure' : 'failures'}`;
  const parts = [
    ...(failures.length > 0 ? [`${severityCounts(failures)} ${noun}`] : []),
    ...(notAudited > 0 ? [`${notAudited} not audited`] : []),
  ];
  return `[${CONTROL_ID}] ${plural(clusterCount, 'cluster')}: ${parts.join(', ')}`.slice(0, MAX_SUBJECT_LENGTH);
}

/** "12 Medium, 3 Low": the failures per severity, highest first. */
function severityCounts(failures: Finding[]): string {
  return [...SEVERITY_ORDER]
    .reverse()
    .map((severity) => [severity, failures.filter((failure) => failure.severity === severity).length] as const)
    .filter(([, count]) => count > 0)
    .map(([severity, count]) => `${count} ${severity}`)
    .join(', ');
}

/**
 * The highest failing severity. An alert with no failure at all was sent for clusters that could not be audited,
 * which leaves the Medium control undecided there: it is filtered like a Medium failure.
 */
function highestSeverity(failures: Finding[]): Severity {
  const failing = new Set(failures.map((failure) => failure.severity));
  return [...SEVERITY_ORDER].reverse().find((severity) => failing.has(severity)) ?? Severity.Medium;
}

/** Clusters are told apart by account, region and name: EKS names are unique only within an account and region. */
function alertClusterKey(cluster: AlertCluster): string {
  return clusterKey({ name: cluster.name, region: cluster.region, account_id: accountOf(cluster) });
}

function accountOf(cluster: AlertCluster): string | null | undefined {
  return cluster.account_id ?? cluster.accountId;
}

function clusterLabel(cluster: AlertCluster): string {
  const account = accountOf(cluster);
  const where = [cluster.region, account ? `account ${account}` : undefined].filter(Boolean);
  return `${field(cluster.name)}${where.length > 0 ? ` (${where.join(', ')})` : ''}`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => `${prefix}${line}`)
    .join('\n');
}

/**
 * Free text made safe for the alert: credentials in use or credential-shaped (see secrets.ts) are masked, and the
 * text is cut to `maxBytes` of UTF-8 at a character boundary.
 */
function field(text: string, maxBytes = MAX_FIELD_BYTES): string {
  return truncateUtf8(redact(text), maxBytes);
}

const encoder = new TextEncoder();

/** The longest prefix of `text` within `maxBytes` of UTF-8 (with "…" when cut); never splits a character. */
function truncateUtf8(text: string, maxBytes: number): string {
  if (byteLength(text) <= maxBytes) return text;
  // encodeInto writes whole characters only (never half a surrogate pair), so `read` ends on a boundary.
  const { read } = encoder.encodeInto(text, new Uint8Array(maxBytes - byteLength('…')));
  return `${text.slice(0, read)}…`;
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
