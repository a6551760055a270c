import { createHash } from 'node:crypto';
import { CheckId, SCHEMA_VERSION, Severity, Status } from '../../lambda/audit/finding.js';
import { compareResources, countOf, findingCluster, findingId, listNames, toFinding, type CheckDescription } from '../../lambda/audit/findings.js';
import { CLUSTER_ARN, options } from './fixtures.js';

const CLUSTER = { name: 'prod-eu', arn: CLUSTER_ARN, region: 'eu-west-1' };
const RESOURCE = { kind: 'Deployment', namespace: 'shop', name: 'cart' };
const DESCRIPTION: CheckDescription = {
  id: CheckId.WorkloadCoverage,
  title: 'Every running pod is selected for Ingress by a NetworkPolicy',
  severity: Severity.Medium,
  requirements: ['CIS EKS 5.4.4'],
  remediation: 'default remediation',
};

describe('findingId', () => {
  it('is the sha256 of control, check, cluster ARN and resource identity', () => {
    // Prepare
    const expected = createHash('sha256')
      .update(JSON.stringify(['C-0230', 'workload-coverage', CLUSTER_ARN, 'Deployment', 'shop', 'cart']))
      .digest('hex');

    // Act
    const id = findingId(CheckId.WorkloadCoverage, CLUSTER, RESOURCE);

    // Assess
    expect(id).toBe(expected);
  });

  it('stays the same across runs, whatever the run id and observation time', () => {
    const verdict = { status: Status.Fail, resource: RESOURCE, message: 'm' };

    const first = toFinding(verdict, DESCRIPTION, CLUSTER, { ...options(), runId: 'run-1', observedAt: new Date('2025-01-01T00:00:00Z') });
    const second = toFinding({ ...verdict, status: Status.Pass }, DESCRIPTION, CLUSTER, { ...options(), runId: 'run-2', observedAt: new Date('2025-06-01T00:00:00Z') });

    expect(second.finding_id).toBe(first.finding_id);
  });

  it('differs between checks, clusters and resources', () => {
    const ids = new Set([
      findingId(CheckId.WorkloadCoverage, CLUSTER, RESOURCE),
      findingId(CheckId.WorkloadEgressCoverage, CLUSTER, RESOURCE),
      findingId(CheckId.WorkloadCoverage, { ...CLUSTER, arn: 'arn:aws:eks:us-east-1:123456789012:cluster/prod-eu' }, RESOURCE),
      findingId(CheckId.WorkloadCoverage, CLUSTER, { ...RESOURCE, namespace: 'payments' }),
      findingId(CheckId.WorkloadCoverage, CLUSTER, { ...RESOURCE, kind: 'StatefulSet' }),
      findingId(CheckId.WorkloadCoverage, CLUSTER, { ...RESOURCE, name: 'cart2' }),
    ]);

    expect(ids.size).toBe(6);
  });

  it('uses region and name when the ARN is unknown, so same-named clusters in two regions differ', () => {
    const west = findingId(CheckId.Engine, { name: 'prod', region: 'eu-west-1' }, { kind: 'Cluster', namespace: null, name: 'prod' });
    const east = findingId(CheckId.Engine, { name: 'prod', region: 'us-east-1' }, { kind: 'Cluster', namespace: null, name: 'prod' });

    expect(west).not.toBe(east);
  });

  it('keeps the parts apart: a name containing the separator cannot collide', () => {
    const a = findingId(CheckId.Engine, CLUSTER, { kind: 'Pod', namespace: 'a', name: 'b/c' });
    const b = findingId(CheckId.Engine, CLUSTER, { kind: 'Pod', namespace: 'a/b', name: 'c' });

    expect(a).not.toBe(b);
  });
});

describe('toFinding', () => {
  it('fills the record from the verdict, the check description, the cluster and the run options', () => {
    // Prepare
    const verdict = { status: Status.Fail, resource: RESOURCE, message: '2 of 3 pods …', evidence: { uncovered_count: 2 } };

    // Act
    const finding = toFinding(verdict, DESCRIPTION, CLUSTER, options());

    // Assess
    expect(finding).toEqual({
      schema_version: SCHEMA_VERSION,
      finding_id: findingId(CheckId.WorkloadCoverage, CLUSTER, RESOURCE),
      run_id: 'run-1',
      observed_at: '2025-06-02T06:00:00.000Z',
      control_id: 'C-0230',
      check_id: 'workload-coverage',
      status: 'FAIL',
      severity: 'Medium',
      title: DESCRIPTION.title,
      message: '2 of 3 pods …',
      remediation: 'default remediation',
      cluster: { name: 'prod-eu', arn: CLUSTER_ARN, account_id: '123456789012', region: 'eu-west-1' },
      resource: RESOURCE,
      evidence: { uncovered_count: 2 },
      requirements: ['CIS EKS 5.4.4'],
      first_seen: '2025-06-02T06:00:00.000Z',
      change: null,
      suppression: null,
    });
  });

  it("prefers the verdict's remediation and gives empty evidence when there is none", () => {
    const finding = toFinding({ status: Status.Fail, resource: RESOURCE, message: 'm', remediation: 'apply this' }, DESCRIPTION, CLUSTER, options());

    expect([finding.remediation, finding.evidence]).toEqual(['apply this', {}]);
  });

  it('writes observed_at in UTC whatever the input time zone', () => {
    const finding = toFinding({ status: Status.Pass, resource: RESOURCE, message: 'm' }, DESCRIPTION, CLUSTER, {
      ...options(),
      observedAt: new Date('2025-06-02T08:00:00+02:00'),
    });

    expect(finding.observed_at).toBe('2025-06-02T06:00:00.000Z');
  });
});

describe('findingCluster', () => {
  it('uses null for what is unknown', () => {
    expect(findingCluster({ name: 'kind-local' })).toEqual({ name: 'kind-local', arn: null, account_id: null, region: null });
  });

  it('takes account and region from the ARN when they are not given', () => {
    expect(findingCluster({ name: 'gov', arn: 'arn:aws-us-gov:eks:us-gov-west-1:210987654321:cluster/gov' })).toEqual({
      name: 'gov',
      arn: 'arn:aws-us-gov:eks:us-gov-west-1:210987654321:cluster/gov',
      account_id: '210987654321',
      region: 'us-gov-west-1',
    });
  });
});

describe('compareResources', () => {
  it('orders by kind, then namespace with cluster-scoped first, then name, by code unit', () => {
    const resources = [
      { kind: 'Namespace', namespace: null, name: 'b' },
      { kind: 'Deployment', namespace: 'shop', name: 'web' },
      { kind: 'Deployment', namespace: 'payments', name: 'ledger' },
      { kind: 'Deployment', namespace: 'shop', name: 'Api' },
      { kind: 'Namespace', namespace: null, name: 'a' },
    ];

    const sorted = [...resources].sort(compareResources).map((r) => `${r.kind} ${r.namespace ?? '-'} ${r.name}`);

    expect(sorted).toEqual(['Deployment payments ledger', 'Deployment shop Api', 'Deployment shop web', 'Namespace - a', 'Namespace - b']);
  });
});

describe('wording helpers', () => {
  it('lists up to 20 names, then counts the rest', () => {
    const names = Array.from({ length: 23 }, (_, i) => `p${i}`);

    expect([listNames(names.slice(0, 2)), listNames(names)]).toEqual(['p0, p1', `${names.slice(0, 20).join(', ')} and 3 more`]);
  });

  it('counts in the singular and the plural', () => {
    expect([countOf(1, 'pod'), countOf(2, 'pod'), countOf(3, 'NetworkPolicy', 'NetworkPolicies')]).toEqual(['1 pod', '2 pods', '3 NetworkPolicies']);
  });
});
