import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { DEFAULT_EXCLUDED_NAMESPACES, type Finding } from '../../lambda/audit/finding.js';
import { auditSnapshot } from '../../lambda/audit/index.js';
import { loadOfflineSnapshot } from '../../lambda/collect/offline.js';
import { ASFF_LIMITS, AsffError, fit, toAsff } from '../../lambda/report/asff.js';
import { finding, findingCluster } from './fixtures.js';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** Every documented ASFF constraint our values could break, as a list of what is wrong. */
function asffProblems(asff: AwsSecurityFinding): string[] {
  const problems: string[] = [];
  const within = (name: string, value: string | undefined, max: number, min = 1) => {
    if (value === undefined || value.length < min || value.length > max || !/\S/.test(value)) problems.push(`${name}: ${value?.length}`);
  };
  within('Id', asff.Id, ASFF_LIMITS.id);
  within('ProductArn', asff.ProductArn, 2048, 12);
  within('GeneratorId', asff.GeneratorId, ASFF_LIMITS.generatorId);
  within('Title', asff.Title, ASFF_LIMITS.title);
  within('Description', asff.Description, ASFF_LIMITS.description);
  if (!/^\d{12}$/.test(asff.AwsAccountId ?? '')) problems.push('AwsAccountId');
  if (asff.SchemaVersion !== '2018-10-08') problems.push('SchemaVersion');
  for (const field of ['CreatedAt', 'UpdatedAt', 'FirstObservedAt', 'LastObservedAt'] as const) {
    if (!RFC3339.test(asff[field] ?? '')) problems.push(field);
  }
  if (!asff.Types || asff.Types.length < 1 || asff.Types.length > 50 || asff.Types.some((type) => type.split('/').length !== 3)) problems.push('Types');
  if (!['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'].includes(asff.Severity?.Label ?? '')) problems.push('Severity.Label');
  const resources = asff.Resources ?? [];
  if (resources.length < 1 || resources.length > ASFF_LIMITS.resources) problems.push('Resources');
  resources.forEach((resource, index) => {
    within(`Resources[${index}].Type`, resource.Type, ASFF_LIMITS.resourceType);
    within(`Resources[${index}].Id`, resource.Id, ASFF_LIMITS.id);
    within(`Resources[${index}].Region`, resource.Region, ASFF_LIMITS.region);
    for (const [key, value] of Object.entries(resource.Details?.Other ?? {})) within(`Details.Other.${key}`, value, ASFF_LIMITS.detailValue);
  });
  if (asff.Remediation) within('Remediation.Recommendation.Text', asff.Remediation.Recommendation?.Text, ASFF_LIMITS.recommendationText);
  const productFields = Object.entries(asff.ProductFields ?? {});
  if (productFields.length > ASFF_LIMITS.productFields) problems.push('ProductFields');
  for (const [key, value] of productFields) {
    within(`ProductFields key ${key}`, key, ASFF_LIMITS.productFieldKey);
    within(`ProductFields.${key}`, value, ASFF_LIMITS.productFieldValue);
  }
  if (!['PASSED', 'WARNING', 'FAILED', 'NOT_AVAILABLE'].includes(asff.Compliance?.Status ?? '')) problems.push('Compliance.Status');
  if ((asff.Compliance?.RelatedRequirements?.length ?? 0) > ASFF_LIMITS.relatedRequirements) problems.push('RelatedRequirements');
  if (!['ACTIVE', 'ARCHIVED'].includes(asff.RecordState ?? '')) problems.push('RecordState');
  return problems;
}

async function exampleFindings(): Promise<Finding[]> {
  const snapshot = await loadOfflineSnapshot(
    { kube: ['examples/shop-eu/cluster.json'], eksCluster: 'examples/shop-eu/eks-cluster.json', eksAddons: ['examples/shop-eu/addon-vpc-cni.json'] },
    () => undefined,
  );
  return auditSnapshot(snapshot, { runId: 'run-1', observedAt: new Date('2026-06-01T06:00:00Z'), excludedNamespaces: DEFAULT_EXCLUDED_NAMESPACES });
}

describe('toAsff', () => {
  it('maps a namespace failure as DESIGN says: ids, product, resources, compliance and severity', () => {
    // Prepare
    const failure = finding({ finding_id: 'f'.repeat(64), first_seen: '2024-04-01T06:00:00.000Z', change: 'ongoing' });

    // Act
    const asff = toAsff(failure);

    // Assess
    expect(asff).toMatchObject({
      SchemaVersion: '2018-10-08',
      Id: 'f'.repeat(64),
      ProductArn: 'arn:aws:securityhub:eu-west-1:123456789012:product/123456789012/default',
      GeneratorId: 'C-0230/namespace-coverage',
      AwsAccountId: '123456789012',
      CreatedAt: '2024-04-01T06:00:00.000Z',
      UpdatedAt: '2024-05-01T06:00:00.000Z',
      Severity: { Label: 'MEDIUM', Original: 'Medium' },
      Title: failure.title,
      Description: failure.message,
      Remediation: { Recommendation: { Text: failure.remediation } },
      Compliance: { Status: 'FAILED', RelatedRequirements: failure.requirements },
      RecordState: 'ACTIVE',
      ProductFields: { 'eks-netpol-auditor/Change': 'ongoing', 'eks-netpol-auditor/CheckId': 'namespace-coverage' },
    });
    expect(asff.Resources).toEqual([
      { Type: 'AwsEksCluster', Id: 'arn:aws:eks:eu-west-1:123456789012:cluster/prod', Partition: 'aws', Region: 'eu-west-1' },
      {
        Type: 'Other',
        Id: 'arn:aws:eks:eu-west-1:123456789012:cluster/prod/Namespace/-/team-a',
        Partition: 'aws',
        Region: 'eu-west-1',
        Details: { Other: { kind: 'Namespace', name: 'team-a' } },
      },
    ]);
  });

  it('reports a PASS as INFORMATIONAL and PASSED, an UNKNOWN as NOT_AVAILABLE, and a cluster finding with one resource', () => {
    const cluster = { kind: 'Cluster', namespace: null, name: 'prod' };

    const passed = toAsff(finding({ status: 'PASS', resource: cluster }));
    const unknown = toAsff(finding({ status: 'UNKNOWN', resource: cluster }));

    expect([passed.Severity, passed.Compliance?.Status, passed.Resources?.length]).toEqual([{ Label: 'INFORMATIONAL', Original: 'Medium' }, 'PASSED', 1]);
    expect([unknown.Severity?.Label, unknown.Compliance?.Status]).toEqual(['MEDIUM', 'NOT_AVAILABLE']);
  });

  it('archives the PASS of a resource that is gone and carries a suppression in ProductFields', () => {
    const gone = toAsff(finding({ status: 'PASS', change: 'resolved', evidence: { gone: true } }));
    const suppressed = toAsff(finding({ suppression: { reason: 'accepted by sec', expires: '2026-12-31', entry: 's.yaml#2' } }));

    expect(gone.RecordState).toBe('ARCHIVED');
    expect(suppressed.ProductFields).toMatchObject({
      'eks-netpol-auditor/SuppressedBecause': 'accepted by sec',
      'eks-netpol-auditor/SuppressedUntil': '2026-12-31',
      'eks-netpol-auditor/SuppressionEntry': 's.yaml#2',
    });
    expect(suppressed.RecordState).toBe('ACTIVE');
  });

  it('keeps the partition of a GovCloud cluster in the product ARN and resources', () => {
    const cluster = { name: 'gov', arn: 'arn:aws-us-gov:eks:us-gov-west-1:123456789012:cluster/gov', account_id: '123456789012', region: 'us-gov-west-1' };

    const asff = toAsff(finding({ cluster }));

    expect([asff.ProductArn, asff.Resources?.[0]?.Partition]).toEqual(['arn:aws-us-gov:securityhub:us-gov-west-1:123456789012:product/123456789012/default', 'aws-us-gov']);
  });

  it('holds every field within its limit for the largest values we produce', () => {
    // Prepare: names at Kubernetes' limits (253 characters), a message and remediation far over ASFF's limits.
    const long = (length: number) => 'a'.repeat(length - 1) + '😀';
    const huge = finding({
      title: long(400),
      message: long(20_000),
      remediation: long(50_000),
      cluster: { ...findingCluster(long(100).replace('😀', 'b')) },
      resource: { kind: 'NetworkPolicy', namespace: 'n'.repeat(63), name: 'p'.repeat(253) },
      requirements: Array.from({ length: 40 }, (_, index) => `CIS EKS ${index}`),
      suppression: { reason: long(5000), expires: '2026-12-31', entry: `${'s'.repeat(4000)}#1` },
    });

    // Act
    const asff = toAsff(huge);

    // Assess
    expect(asffProblems(asff)).toEqual([]);
    expect(asff.Description?.endsWith('…')).toBe(true);
  });

  it('holds every finding of the example within the limits', async () => {
    const findings = await exampleFindings();

    const problems = findings.flatMap((item) => asffProblems(toAsff(item)).map((problem) => `${item.check_id} ${item.resource.name}: ${problem}`));

    expect(problems).toEqual([]);
  });

  it('uses the fallback account and region for a finding without them, and refuses one with neither', () => {
    const local = finding({ cluster: findingCluster('kind-dev', null) });

    expect(toAsff(local, { accountId: '210987654321', region: 'us-east-1' }).ProductArn).toBe(
      'arn:aws:securityhub:us-east-1:210987654321:product/210987654321/default',
    );
    expect(() => toAsff(local)).toThrow(AsffError);
    expect(() => toAsff(local)).toThrow(/^cluster kind-dev has no AWS account or region, which Security Hub needs/);
  });
});

describe('fit', () => {
  it('cuts to the limit with an ellipsis and never splits a surrogate pair', () => {
    expect(fit('abcdef', 6)).toBe('abcdef');
    expect(fit('abcdefg', 6)).toBe('abcde…');
    expect(fit('abcd😀xyz', 6)).toBe('abcd…');
  });
});
