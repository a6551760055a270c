import { CHECKS } from '../../../lambda/audit/checks/index.js';
import { CheckId, Severity } from '../../../lambda/audit/finding.js';

describe('the check registry', () => {
  it('lists every check once, in report order, with control last', () => {
    expect(CHECKS.map((entry) => entry.id)).toEqual([
      'engine',
      'engine-health',
      'namespace-coverage',
      'workload-coverage',
      'workload-egress-coverage',
      'default-deny',
      'permissive-policy',
      'dangling-policy',
      'inert-policy',
      'unenforceable-workload',
      'control',
    ]);
    expect(new Set(CHECKS.map((entry) => entry.id))).toEqual(new Set(Object.values(CheckId)));
  });

  it('gives the severities of the design', () => {
    const severities = Object.fromEntries(CHECKS.map((entry) => [entry.id, entry.severity]));

    expect(severities).toEqual({
      engine: Severity.Medium,
      'engine-health': Severity.Medium,
      'namespace-coverage': Severity.Medium,
      'workload-coverage': Severity.Medium,
      'workload-egress-coverage': Severity.Low,
      'default-deny': Severity.Low,
      'permissive-policy': Severity.Low,
      'dangling-policy': Severity.Informational,
      'inert-policy': Severity.Low,
      'unenforceable-workload': Severity.Low,
      control: Severity.Medium,
    });
  });

  it('maps every check to CIS EKS 5.4.4, the engine to 4.3.1 and namespace coverage to 4.3.2', () => {
    const requirements = Object.fromEntries(CHECKS.map((entry) => [entry.id, entry.requirements]));

    expect(CHECKS.filter((entry) => !entry.requirements.includes('CIS EKS 5.4.4'))).toEqual([]);
    expect([requirements.engine, requirements['namespace-coverage']]).toEqual([
      ['CIS EKS 5.4.4', 'CIS EKS 4.3.1'],
      ['CIS EKS 5.4.4', 'CIS EKS 4.3.2'],
    ]);
  });

  it('gives every check a title and a default remediation', () => {
    expect(CHECKS.filter((entry) => entry.title.trim() === '' || entry.remediation.trim() === '')).toEqual([]);
  });
});
