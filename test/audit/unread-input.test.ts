import { Status } from '../../lambda/audit/finding.js';
import { unreadInputVerdict } from '../../lambda/audit/unread-input.js';
import { snapshot } from './fixtures.js';

describe('unreadInputVerdict', () => {
  it('is undefined when every needed kind was read, even as empty lists', () => {
    expect(unreadInputVerdict(snapshot({ pods: [], networkPolicies: [] }), ['pods', 'networkPolicies'])).toBeUndefined();
  });

  it('gives one UNKNOWN on the cluster with the collection problem reason and remediation', () => {
    // Prepare
    const snap = snapshot(
      { pods: [] },
      { problems: [{ kind: 'networkPolicies', reason: '403: cannot list networkpolicies at cluster scope', remediation: 'Grant list on networkpolicies.' }] },
    );

    // Act
    const verdict = unreadInputVerdict(snap, ['pods', 'networkPolicies']);

    // Assess
    expect(verdict).toEqual({
      status: Status.Unknown,
      resource: { kind: 'Cluster', namespace: null, name: 'prod-eu' },
      message: 'Not evaluated: NetworkPolicies were not read (403: cannot list networkpolicies at cluster scope).',
      remediation: 'Grant list on networkpolicies.',
      evidence: { missing: ['networkPolicies'], reasons: ['NetworkPolicies were not read (403: cannot list networkpolicies at cluster scope)'] },
    });
  });

  it('names every missing kind and says how to capture them when no problem explains it', () => {
    const verdict = unreadInputVerdict(snapshot({}), ['namespaces', 'networkPolicies']);

    expect(verdict?.message).toBe('Not evaluated: Namespaces were not read; NetworkPolicies were not read.');
    expect(verdict?.remediation).toContain('kubectl get namespaces,networkpolicies -A -o json');
  });

  it('makes a check UNKNOWN with the cluster problem when the Kubernetes API was out of reach', () => {
    const snap = snapshot({}, { problems: [{ kind: 'cluster', reason: '401 Unauthorized', remediation: 'aws eks create-access-entry …' }] });

    const verdict = unreadInputVerdict(snap, ['pods']);

    expect([verdict?.status, verdict?.message, verdict?.remediation]).toEqual([
      Status.Unknown,
      'Not evaluated: the Kubernetes API of cluster prod-eu could not be read (401 Unauthorized).',
      'aws eks create-access-entry …',
    ]);
  });

  it('leaves a check that needs no Kubernetes data alone, even with a cluster problem', () => {
    const snap = snapshot({}, { problems: [{ kind: 'cluster', reason: 'cluster is CREATING' }] });

    expect(unreadInputVerdict(snap, [])).toBeUndefined();
  });
});
