/**
 * The finding record: one verdict of one check on one resource of one cluster. Its field names are a public contract
 * (JSON Lines in S3, read by Athena; `--format jsonl`), mapping one-to-one onto ASFF and OCSF class 2003.
 */

/** 1.1 added the lifecycle fields `first_seen`, `change` and `suppression`; a 1.0 reader skips them unharmed. */
export const SCHEMA_VERSION = '1.1';
export const CONTROL_ID = 'C-0230';

export const Status = { Pass: 'PASS', Fail: 'FAIL', Unknown: 'UNKNOWN' } as const;
export type Status = (typeof Status)[keyof typeof Status];

export const Severity = { Medium: 'Medium', Low: 'Low', Informational: 'Informational' } as const;
export type Severity = (typeof Severity)[keyof typeof Severity];

/** Severities from the lowest to the highest, for `--fail-on` and alert thresholds. */
export const SEVERITY_ORDER: readonly Severity[] = [Severity.Informational, Severity.Low, Severity.Medium];

/** True when `severity` is at or above `threshold`. */
export function atOrAbove(severity: Severity, threshold: Severity): boolean {
  return SEVERITY_ORDER.indexOf(severity) >= SEVERITY_ORDER.indexOf(threshold);
}

/**
 * The severity a finding reports to Security Hub and OCSF: Informational for a PASS (as Security Hub's own passed
 * controls), else its check's. The record itself keeps the check's severity.
 */
export function reportedSeverity(finding: { status: Status; severity: Severity }): Severity {
  return finding.status === Status.Pass ? Severity.Informational : finding.severity;
}

export const CheckId = {
  Engine: 'engine',
  EngineHealth: 'engine-health',
  NamespaceCoverage: 'namespace-coverage',
  WorkloadCoverage: 'workload-coverage',
  WorkloadEgressCoverage: 'workload-egress-coverage',
  DefaultDeny: 'default-deny',
  PermissivePolicy: 'permissive-policy',
  DanglingPolicy: 'dangling-policy',
  InertPolicy: 'inert-policy',
  UnenforceableWorkload: 'unenforceable-workload',
  Control: 'control',
} as const;
export type CheckId = (typeof CheckId)[keyof typeof CheckId];

export interface FindingCluster {
  name: string;
  arn: string | null;
  account_id: string | null;
  region: string | null;
}

export interface FindingResource {
  kind: string;
  namespace: string | null;
  name: string;
  /** The API group, on resources whose kind alone is ambiguous (the kinds of custom resources). */
  api_group?: string;
}

/**
 * How a finding moved since the previous run of its cluster: `new` failing now and not then, `ongoing` failing now and
 * then, `resolved` failing then and passing (or gone) now; `null` otherwise, or when no previous run was consulted.
 */
export const Change = { New: 'new', Ongoing: 'ongoing', Resolved: 'resolved' } as const;
export type Change = (typeof Change)[keyof typeof Change];

/** The suppression entry that matched a finding: why, until when, and which entry (`<source>#<position>`). */
export interface FindingSuppression {
  reason: string;
  /** The last day (UTC, `YYYY-MM-DD`) the entry applies. */
  expires: string;
  entry: string;
}

export interface Finding {
  schema_version: string;
  finding_id: string;
  run_id: string;
  observed_at: string;
  control_id: string;
  check_id: CheckId;
  status: Status;
  severity: Severity;
  title: string;
  message: string;
  remediation: string;
  cluster: FindingCluster;
  resource: FindingResource;
  evidence: Record<string, unknown>;
  requirements: string[];
  /** When this `finding_id` was first observed with its current status, without interruption (ISO-8601 UTC). */
  first_seen: string;
  change: Change | null;
  /** Set when an unexpired suppression entry matches: the status stays, but a FAIL neither alerts nor fails the run. */
  suppression: FindingSuppression | null;
}

/** How one audit run is identified and what it leaves out. */
export interface AuditOptions {
  /** Same for every cluster of one run; a retried run reuses it so stored objects are overwritten, not duplicated. */
  runId: string;
  observedAt: Date;
  /** Namespaces that get no namespace or workload findings (their objects still feed engine detection). */
  excludedNamespaces: readonly string[];
  /** Which suppression applies to a verdict, if any (lambda/lifecycle/suppressions.ts builds it); none when absent. */
  suppress?: SuppressionMatcher;
}

/** What a suppression entry is matched against: the check, the cluster's name and the resource. */
export interface SuppressionSubject {
  checkId: CheckId;
  cluster: string;
  resource: FindingResource;
}

/** The suppression of the first unexpired entry matching `subject`, or null. */
export type SuppressionMatcher = (subject: SuppressionSubject) => FindingSuppression | null;

/** The default exclusions; an empty list is strict CIS. */
export const DEFAULT_EXCLUDED_NAMESPACES: readonly string[] = ['kube-system', 'kube-public', 'kube-node-lease'];
