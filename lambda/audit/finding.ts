/**
 * The finding record: one verdict of one check on one resource of one cluster. Its field names are a public contract
 * (JSON Lines in S3, read by Athena; `--format jsonl`), mapping one-to-one onto ASFF and OCSF class 2003.
 */

export const SCHEMA_VERSION = '1.0';
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

export const CheckId = {
  Engine: 'engine',
  EngineHealth: 'engine-health',
  NamespaceCoverage: 'namespace-coverage',
  WorkloadCoverage: 'workload-coverage',
  WorkloadEgressCoverage: 'workload-egress-coverage',
  DefaultDeny: 'default-deny',
  PermissivePolicy: 'permissive-policy',
  DanglingPolicy: 'dangling-policy',
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
}

/** How one audit run is identified and what it leaves out. */
export interface AuditOptions {
  /** Same for every cluster of one run; a retried run reuses it so stored objects are overwritten, not duplicated. */
  runId: string;
  observedAt: Date;
  /** Namespaces that get no namespace or workload findings (their objects still feed engine detection). */
  excludedNamespaces: readonly string[];
}

/** The default exclusions; an empty list is strict CIS. */
export const DEFAULT_EXCLUDED_NAMESPACES: readonly string[] = ['kube-system', 'kube-public', 'kube-node-lease'];
