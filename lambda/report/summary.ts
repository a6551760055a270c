/**
 * The one summary model every report renders: findings grouped by cluster, each with its control verdict, its
 * engine finding, its counts, and its failures by check — most severe first, then in the check registry's order —
 * each check's failures split by remediation, so that every failure is shown with its own remediation and identical
 * ones are said once. The table, the alert and any later format read this model rather than the findings, so they
 * can never group, order or count differently.
 */
import { CheckId, SEVERITY_ORDER, Status, type Finding } from '../audit/finding.js';

/** The failures of one check in one cluster that share one remediation. */
export interface RemediationGroup {
  remediation: string;
  failures: Finding[];
}

/** One check's failures in one cluster, in resource order, and their remediations, in order of first failure. */
export interface CheckFailures {
  checkId: CheckId;
  title: string;
  /** The most severe of the failures (a check's severity can depend on the finding, e.g. an Admin-tier allow-all). */
  severity: Finding['severity'];
  failures: Finding[];
  remediations: RemediationGroup[];
}

/** One cluster's part of the report. */
export interface ClusterSummary {
  /** Account, region and name: EKS names are unique only within an account and region. */
  key: string;
  cluster: Finding['cluster'];
  /** The `control` roll-up: the cluster's verdict. */
  control?: Finding;
  engine?: Finding;
  /**
   * Findings per status, the `control` roll-up left out (it restates the others); FAIL counts only the unsuppressed
   * failures, the suppressed ones being {@link ClusterSummary.suppressed}.
   */
  counts: Record<Status, number>;
  /** Unsuppressed failures by check, most severe first, then in the registry's order. */
  failures: CheckFailures[];
  /** Suppressed failures (accepted risks: they neither fail the audit nor alert), in the registry's order. */
  suppressed: Finding[];
  /** Findings that could not be decided, in the registry's order. */
  unknowns: Finding[];
  /** PASS findings per check, in the registry's order. */
  passes: Array<{ checkId: CheckId; count: number }>;
}

/** Which unsuppressed failures are listed: all of them by default; the alert keeps those it lists in full. */
export type FailureFilter = (finding: Finding) => boolean;

const CHECK_ORDER: readonly string[] = Object.values(CheckId);

/** The summary of `findings`, one entry per cluster in order of first appearance. */
export function summarize(findings: readonly Finding[], countsAsFailure: FailureFilter = () => true): ClusterSummary[] {
  const clusters = new Map<string, { cluster: Finding['cluster']; findings: Finding[] }>();
  for (const finding of findings) {
    const key = clusterKey(finding.cluster);
    const entry = clusters.get(key);
    if (entry) entry.findings.push(finding);
    else clusters.set(key, { cluster: finding.cluster, findings: [finding] });
  }
  return [...clusters.entries()].map(([key, { cluster, findings: own }]) => clusterSummary(key, cluster, own, countsAsFailure));
}

/** Account, region and name as one key. */
export function clusterKey(cluster: { name: string; region?: string | null; account_id?: string | null }): string {
  return JSON.stringify([cluster.account_id ?? '', cluster.region ?? '', cluster.name]);
}

function clusterSummary(key: string, cluster: Finding['cluster'], findings: Finding[], countsAsFailure: FailureFilter): ClusterSummary {
  const checks = findings.filter((finding) => finding.check_id !== CheckId.Control);
  const byStatus = (status: Status) => byRegistry(checks.filter((finding) => finding.status === status));
  const [suppressed, unsuppressed] = partition(byStatus(Status.Fail), (finding) => finding.suppression !== null);
  return {
    key,
    cluster,
    control: findings.find((finding) => finding.check_id === CheckId.Control),
    engine: findings.find((finding) => finding.check_id === CheckId.Engine),
    counts: {
      [Status.Fail]: unsuppressed.length,
      [Status.Unknown]: checks.filter((finding) => finding.status === Status.Unknown).length,
      [Status.Pass]: checks.filter((finding) => finding.status === Status.Pass).length,
    },
    failures: checkFailures(unsuppressed.filter(countsAsFailure)),
    suppressed,
    unknowns: byStatus(Status.Unknown),
    passes: groupedByCheck(byStatus(Status.Pass)).map((group) => ({ checkId: group[0]!.check_id, count: group.length })),
  };
}

function checkFailures(failures: Finding[]): CheckFailures[] {
  const groups = groupedByCheck(failures).map((group): CheckFailures => {
    const sorted = [...group].sort((a, b) => compareText(resourceLabel(a), resourceLabel(b)));
    const severity = sorted.map((finding) => finding.severity).reduce((a, b) => (rank(SEVERITY_ORDER, b) > rank(SEVERITY_ORDER, a) ? b : a));
    return { checkId: sorted[0]!.check_id, title: sorted[0]!.title, severity, failures: sorted, remediations: remediationGroups(sorted) };
  });
  // Stable: within a severity, the registry's order stays.
  return groups.sort((a, b) => rank(SEVERITY_ORDER, b.severity) - rank(SEVERITY_ORDER, a.severity));
}

function remediationGroups(failures: Finding[]): RemediationGroup[] {
  const groups = new Map<string, Finding[]>();
  for (const failure of failures) {
    const group = groups.get(failure.remediation);
    if (group) group.push(failure);
    else groups.set(failure.remediation, [failure]);
  }
  return [...groups.entries()].map(([remediation, grouped]) => ({ remediation, failures: grouped }));
}

/** The findings that pass `test`, then the others, each in the order given. */
function partition(findings: Finding[], test: (finding: Finding) => boolean): [Finding[], Finding[]] {
  const yes: Finding[] = [];
  const no: Finding[] = [];
  for (const finding of findings) (test(finding) ? yes : no).push(finding);
  return [yes, no];
}

/** Findings in the registry's order of checks (stable within a check). */
function byRegistry(findings: Finding[]): Finding[] {
  return [...findings].sort((a, b) => rank(CHECK_ORDER, a.check_id) - rank(CHECK_ORDER, b.check_id));
}

/** Consecutive findings of one check, from findings already in registry order. */
function groupedByCheck(findings: Finding[]): Finding[][] {
  const groups: Finding[][] = [];
  for (const finding of findings) {
    const last = groups.at(-1);
    if (last && last[0]!.check_id === finding.check_id) last.push(finding);
    else groups.push([finding]);
  }
  return groups;
}

/** `Kind namespace/name`, as reports name a finding's resource. */
export function resourceLabel(finding: Finding): string {
  const { kind, namespace, name } = finding.resource;
  return `${kind} ${namespace ? `${namespace}/` : ''}${name}`;
}

/** Code-point order: deterministic whatever the locale, and far cheaper than `localeCompare` on 100k findings. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Position of `value` in `order`; unknown values last. */
export function rank(order: readonly string[], value: string | undefined): number {
  const index = value === undefined ? -1 : order.indexOf(value);
  return index === -1 ? order.length : index;
}
