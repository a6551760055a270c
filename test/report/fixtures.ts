/**
 * Findings for the report tests, built the way the audit builds them: every field of the record set, overridable.
 */
import { CONTROL_ID, SCHEMA_VERSION, type Finding, type FindingCluster } from '../../lambda/audit/finding.js';

/** A cluster as findings carry it. */
export function findingCluster(name: string, region: string | null = 'eu-west-1', account = '123456789012'): FindingCluster {
  return {
    name,
    arn: region ? `arn:aws:eks:${region}:${account}:cluster/${name}` : null,
    account_id: region ? account : null,
    region,
  };
}

/** A FAIL of `namespace-coverage` on namespace team-a of cluster prod in run-1, unless overridden. */
export function finding(overrides: Partial<Finding> = {}): Finding {
  const base: Finding = {
    schema_version: SCHEMA_VERSION,
    finding_id: '',
    run_id: 'run-1',
    observed_at: '2024-05-01T06:00:00.000Z',
    control_id: CONTROL_ID,
    check_id: 'namespace-coverage',
    status: 'FAIL',
    severity: 'Medium',
    title: 'Namespace has a NetworkPolicy',
    message: 'namespace team-a has no NetworkPolicy',
    remediation: 'Apply a default-deny NetworkPolicy to the namespace.',
    cluster: findingCluster('prod'),
    resource: { kind: 'Namespace', namespace: null, name: 'team-a' },
    evidence: { policies: 0, pods: 3 },
    requirements: ['CIS EKS 4.3.2', 'CIS EKS 5.4.4'],
    first_seen: '2024-05-01T06:00:00.000Z',
    change: null,
    suppression: null,
  };
  const merged = { ...base, ...overrides };
  const id = `${merged.check_id}/${merged.cluster.account_id}/${merged.cluster.region}/${merged.cluster.name}/${merged.resource.kind}/${merged.resource.namespace ?? ''}/${merged.resource.name}`;
  return { ...merged, finding_id: overrides.finding_id ?? id };
}
