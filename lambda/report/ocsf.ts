/**
 * Findings as OCSF Compliance Finding events (class_uid 2003, category Findings) of OCSF 1.1.0, the version Amazon
 * Security Lake ingests from custom sources. Every attribute the version requires is set (the test checks them against
 * the schema's own required lists); the mapping follows ASFF's (POLICY-APIS §8.2) so both formats tell the same story.
 */
import { Change, Severity, Status, reportedSeverity, type Finding } from '../audit/finding.js';

/** The OCSF version the events declare in `metadata.version`. */
export const OCSF_VERSION = '1.1.0';

/** Which product produced the events. */
export const OCSF_PRODUCT = { name: 'eks-netpol-auditor', vendor_name: 'eks-netpol-auditor' } as const;

const CATEGORY_FINDINGS = 2;
const CLASS_COMPLIANCE_FINDING = 2003;

/** Finding activities: a finding first reported, reported again, or closed. */
const Activity = { Create: 1, Update: 2, Close: 3 } as const;
const ACTIVITY_NAMES = { 1: 'Create', 2: 'Update', 3: 'Close' } as const;

const SEVERITY_ID = { [Severity.Informational]: 1, [Severity.Low]: 2, [Severity.Medium]: 3 } as const;
/** compliance.status_id of 1.1.0: 1 Pass, 2 Warning ("did not yield a result due to missing information"), 3 Fail. */
const COMPLIANCE_STATUS = { [Status.Pass]: [1, 'Pass'], [Status.Unknown]: [2, 'Warning'], [Status.Fail]: [3, 'Fail'] } as const;

/** One OCSF Compliance Finding event (the attributes this auditor sets). */
export type OcsfComplianceFinding = ReturnType<typeof toOcsf>;

/**
 * `finding` as an OCSF 1.1.0 Compliance Finding. `activity_id` is Create for a finding first seen in this run, Close
 * for a resolved one, Update otherwise; finding `status_id` is Suppressed for a suppressed finding, Resolved for a
 * resolved one, else New. Severity is {@link reportedSeverity}, as in ASFF. Times are epoch milliseconds.
 */
export function toOcsf(finding: Finding) {
  const activity =
    finding.change === Change.Resolved ? Activity.Close : finding.first_seen === finding.observed_at ? Activity.Create : Activity.Update;
  const severity = reportedSeverity(finding);
  const [complianceId, complianceCaption] = COMPLIANCE_STATUS[finding.status];
  const [statusId, statusCaption] = finding.suppression
    ? [3, 'Suppressed']
    : finding.change === Change.Resolved
      ? [4, 'Resolved']
      : [1, 'New'];
  const { cluster, resource } = finding;
  const observed = Date.parse(finding.observed_at);
  return {
    activity_id: activity,
    activity_name: ACTIVITY_NAMES[activity],
    category_uid: CATEGORY_FINDINGS,
    category_name: 'Findings',
    class_uid: CLASS_COMPLIANCE_FINDING,
    class_name: 'Compliance Finding',
    type_uid: CLASS_COMPLIANCE_FINDING * 100 + activity,
    type_name: `Compliance Finding: ${ACTIVITY_NAMES[activity]}`,
    time: observed,
    severity_id: SEVERITY_ID[severity],
    severity,
    status_id: statusId,
    status: statusCaption,
    message: finding.message,
    metadata: { version: OCSF_VERSION, product: { ...OCSF_PRODUCT }, uid: `${finding.run_id}/${finding.finding_id}` },
    finding_info: {
      uid: finding.finding_id,
      title: finding.title,
      desc: finding.message,
      types: ['CIS Amazon EKS Benchmark'],
      created_time: Date.parse(finding.first_seen),
      first_seen_time: Date.parse(finding.first_seen),
      last_seen_time: observed,
      modified_time: observed,
    },
    compliance: {
      standards: ['CIS Amazon EKS Benchmark', `Kubescape ${finding.control_id}`],
      control: `${finding.control_id}/${finding.check_id}`,
      requirements: [...finding.requirements],
      status_id: complianceId,
      status: complianceCaption,
    },
    ...(finding.remediation.trim() ? { remediation: { desc: finding.remediation } } : {}),
    resource: {
      type: `Kubernetes ${resource.kind}`,
      name: resource.namespace ? `${resource.namespace}/${resource.name}` : resource.name,
      uid: `${cluster.arn ?? cluster.name}/${resource.kind}/${resource.namespace ?? '-'}/${resource.name}`,
      ...(cluster.region ? { region: cluster.region } : {}),
    },
    cloud: {
      provider: 'AWS',
      ...(cluster.region ? { region: cluster.region } : {}),
      ...(cluster.account_id ? { account: { uid: cluster.account_id, type: 'AWS Account', type_id: 10 } } : {}),
    },
    unmapped: {
      cluster: { ...cluster },
      check_id: finding.check_id,
      run_id: finding.run_id,
      change: finding.change,
      suppression: finding.suppression,
      evidence: finding.evidence,
    },
  };
}
