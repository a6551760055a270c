/**
 * Findings in the AWS Security Finding Format (ASFF), as Security Hub's BatchImportFindings takes them from a custom
 * integration: the mapping of DESIGN ("Security Hub and OCSF") with every field held within its documented limit, so
 * that no finding is refused for its length however long the message it carries.
 */
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { Severity, Status, reportedSeverity, type Finding } from '../audit/finding.js';

/** The ASFF version every finding declares. */
export const ASFF_SCHEMA_VERSION = '2018-10-08';

/** The finding type: the namespace/category/classifier taxonomy of ASFF. */
export const ASFF_TYPE = 'Software and Configuration Checks/Industry and Regulatory Standards/CIS Amazon EKS Benchmark';

/**
 * Documented limits (Security Hub API reference: AwsSecurityFinding, Resource, Recommendation, Compliance) that our
 * values could reach; the API counts characters.
 */
export const ASFF_LIMITS = {
  id: 512,
  generatorId: 512,
  title: 256,
  description: 1024,
  recommendationText: 512,
  resources: 32,
  resourceType: 256,
  region: 16,
  relatedRequirements: 32,
  productFields: 50,
  productFieldKey: 128,
  productFieldValue: 2048,
  /** Resource.Details.Other values. */
  detailValue: 1024,
} as const;

/** A finding whose cluster has no account or region cannot be addressed to Security Hub. */
export class AsffError extends Error {
  override readonly name = 'AsffError';
}

/** Where findings without an account or region of their own are reported: the importing function's account. */
export interface AsffFallback {
  accountId: string;
  region: string;
}

const SEVERITY_LABEL = { [Severity.Medium]: 'MEDIUM', [Severity.Low]: 'LOW', [Severity.Informational]: 'INFORMATIONAL' } as const;
const COMPLIANCE_STATUS = { [Status.Pass]: 'PASSED', [Status.Fail]: 'FAILED', [Status.Unknown]: 'NOT_AVAILABLE' } as const;
const CLUSTER_ARN = /^arn:(aws[a-z-]*):eks:/;

/** The ProductArn of an account's default custom integration, the one any account may import into. */
export function defaultProductArn(partition: string, region: string, accountId: string): string {
  return `arn:${partition}:securityhub:${region}:${accountId}:product/${accountId}/default`;
}

/**
 * `finding` as an ASFF finding: `Id` the finding id, `GeneratorId` `C-0230/<check>`, the cluster as an `AwsEksCluster`
 * resource plus the Kubernetes resource as `Other`, `Compliance.Status` PASSED/FAILED/NOT_AVAILABLE. Severity is
 * {@link reportedSeverity}; the check's own stays in `Original`. A
 * finding whose resource is gone is ARCHIVED; every other one ACTIVE. `Workflow` is left to the customer, so a
 * suppression travels in `ProductFields`. Throws {@link AsffError} when neither the finding nor `fallback` gives the
 * account and region.
 */
export function toAsff(finding: Finding, fallback?: AsffFallback): AwsSecurityFinding {
  const { cluster, resource } = finding;
  const accountId = cluster.account_id ?? fallback?.accountId;
  const region = cluster.region ?? fallback?.region;
  if (!accountId || !region) {
    throw new AsffError(
      `cluster ${cluster.name} has no AWS account or region, which Security Hub needs: give --eks-cluster FILE (describe-cluster output) or audit it with --cluster NAME`,
    );
  }
  const partition = CLUSTER_ARN.exec(cluster.arn ?? '')?.[1] ?? 'aws';
  const clusterArn = cluster.arn ?? `arn:${partition}:eks:${region}:${accountId}:cluster/${cluster.name}`;
  const where = { Partition: partition as 'aws', Region: fit(region, ASFF_LIMITS.region) };
  const isCluster = resource.kind === 'Cluster' && resource.namespace === null && resource.name === cluster.name;
  const kubernetesResource = {
    Type: 'Other',
    Id: fit(`${clusterArn}/${resource.kind}/${resource.namespace ?? '-'}/${resource.name}`, ASFF_LIMITS.id),
    ...where,
    Details: { Other: withinDetailLimit({ kind: resource.kind, namespace: resource.namespace ?? '', name: resource.name }) },
  };
  const reported = reportedSeverity(finding);
  const remediation = finding.remediation.trim();
  return {
    SchemaVersion: ASFF_SCHEMA_VERSION,
    Id: fit(finding.finding_id, ASFF_LIMITS.id),
    ProductArn: defaultProductArn(partition, region, accountId),
    GeneratorId: fit(`${finding.control_id}/${finding.check_id}`, ASFF_LIMITS.generatorId),
    AwsAccountId: accountId,
    Types: [ASFF_TYPE],
    CreatedAt: finding.first_seen,
    UpdatedAt: finding.observed_at,
    FirstObservedAt: finding.first_seen,
    LastObservedAt: finding.observed_at,
    Severity: { Label: SEVERITY_LABEL[reported], Original: finding.severity },
    Title: fit(finding.title, ASFF_LIMITS.title),
    Description: fit(finding.message, ASFF_LIMITS.description),
    ...(remediation ? { Remediation: { Recommendation: { Text: fit(remediation, ASFF_LIMITS.recommendationText) } } } : {}),
    ProductFields: productFields(finding),
    Resources: [{ Type: 'AwsEksCluster', Id: clusterArn, ...where }, ...(isCluster ? [] : [kubernetesResource])],
    Compliance: {
      Status: COMPLIANCE_STATUS[finding.status],
      RelatedRequirements: finding.requirements.slice(0, ASFF_LIMITS.relatedRequirements),
    },
    RecordState: finding.evidence.gone === true ? 'ARCHIVED' : 'ACTIVE',
  };
}

/** The auditor's own fields: the run, the check, the change since the previous run and the suppression, if any. */
function productFields(finding: Finding): Record<string, string> {
  const fields: Record<string, string | null | undefined> = {
    'eks-netpol-auditor/RunId': finding.run_id,
    'eks-netpol-auditor/CheckId': finding.check_id,
    'eks-netpol-auditor/Status': finding.status,
    'eks-netpol-auditor/Change': finding.change,
    'eks-netpol-auditor/SuppressedBecause': finding.suppression?.reason,
    'eks-netpol-auditor/SuppressedUntil': finding.suppression?.expires,
    'eks-netpol-auditor/SuppressionEntry': finding.suppression?.entry,
  };
  return Object.fromEntries(
    Object.entries(fields).flatMap(([key, value]) => (value ? [[key, fit(value, ASFF_LIMITS.productFieldValue)]] : [])),
  );
}

function withinDetailLimit(details: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(details).flatMap(([key, value]) => (value ? [[key, fit(value, ASFF_LIMITS.detailValue)]] : [])),
  );
}

/** `text` within `limit` characters: cut with "…", never between the halves of a surrogate pair. */
export function fit(text: string, limit: number): string {
  if (text.length <= limit) return text;
  let cut = text.slice(0, limit - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}
