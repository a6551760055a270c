import { auditSnapshot, CHECKS, type Finding } from '../../lambda/audit/index.js';
import { CheckId, Status } from '../../lambda/audit/finding.js';
import type { ClusterSnapshot, ConfigMap, DaemonSet, KubeInventory } from '../../lambda/audit/snapshot.js';
import { namespace, options, ownedBy, pod, policy, replicaSet, snapshot } from './fixtures.js';

/** kube-system as an EKS cluster with the VPC CNI's native network policy on: the engine check passes. */
const AWS_NODE: DaemonSet = {
  kind: 'DaemonSet',
  metadata: { name: 'aws-node', namespace: 'kube-system' },
  spec: {
    selector: { matchLabels: { 'k8s-app': 'aws-node' } },
    template: { spec: { hostNetwork: true, containers: [{ name: 'aws-node' }, { name: 'aws-eks-nodeagent', args: ['--enable-network-policy=true'] }] } },
  },
  status: { desiredNumberScheduled: 2, numberReady: 2 },
};
const VPC_CNI_CONFIG: ConfigMap = { kind: 'ConfigMap', metadata: { name: 'amazon-vpc-cni', namespace: 'kube-system' }, data: { 'enable-network-policy-controller': 'true' } };

function cluster(kube: KubeInventory = {}, extra: Partial<ClusterSnapshot> = {}): ClusterSnapshot {
  return snapshot(
    {
      namespaces: [namespace('kube-system'), namespace('shop'), namespace('payments')],
      pods: [
        pod('shop', 'web-b', { labels: { app: 'web' }, owner: ownedBy('ReplicaSet', 'web-5d') }),
        pod('shop', 'web-a', { labels: { app: 'web' }, owner: ownedBy('ReplicaSet', 'web-5d') }),
        pod('payments', 'ledger-0', { labels: { app: 'ledger' }, owner: ownedBy('StatefulSet', 'ledger') }),
        pod('kube-system', 'coredns-x', { owner: ownedBy('ReplicaSet', 'coredns-7f') }),
      ],
      networkPolicies: [policy('shop', 'deny', { podSelector: {}, policyTypes: ['Ingress'] })],
      daemonSets: [AWS_NODE],
      configMaps: [VPC_CNI_CONFIG],
      replicaSets: [replicaSet('shop', 'web-5d', ownedBy('Deployment', 'web')), replicaSet('kube-system', 'coredns-7f', ownedBy('Deployment', 'coredns'))],
      jobs: [],
      // The VPC CNI enforces the AWS policy APIs too: the isolation checks need them read (here: none).
      applicationNetworkPolicies: [],
      awsClusterNetworkPolicies: [],
      ...kube,
    },
    extra,
  );
}

const label = (f: Finding) => `${f.check_id} ${f.status} ${f.resource.kind} ${f.resource.namespace ?? '-'}/${f.resource.name}`;

describe('auditSnapshot', () => {
  it('makes the isolation checks UNKNOWN when a policy API the engine enforces is served but was not read', () => {
    // Prepare: ClusterNetworkPolicies installed but not read, whose Admin tier could defeat every namespace policy
    const snap = cluster({ awsClusterNetworkPolicies: undefined }, { servedKinds: { awsClusterNetworkPolicies: true } });

    // Act
    const findings = auditSnapshot(snap, options());

    // Assess
    const unknown = findings.filter((finding) => finding.status === Status.Unknown).map((finding) => finding.check_id);
    expect(unknown).toEqual(['namespace-coverage', 'workload-coverage', 'workload-egress-coverage', 'default-deny', 'control']);
    expect(findings.find((finding) => finding.check_id === 'workload-coverage')?.message).toBe(
      'Not evaluated: ClusterNetworkPolicies (networking.k8s.aws) were not read.',
    );
  });

  it('takes a policy API nothing says is installed, and that was not read, as none', () => {
    const snap = cluster({ awsClusterNetworkPolicies: undefined });

    expect(auditSnapshot(snap, options()).filter((finding) => finding.status === Status.Unknown)).toEqual([]);
  });

  it('gives every check its findings, sorted by registry order, then kind, namespace and name', () => {
    // Act
    const findings = auditSnapshot(cluster(), options());

    // Assess
    expect(findings.map(label)).toEqual([
      'engine PASS Cluster -/prod-eu',
      'engine-health PASS DaemonSet kube-system/aws-node',
      'namespace-coverage FAIL Namespace -/payments',
      'namespace-coverage PASS Namespace -/shop',
      'workload-coverage PASS Deployment shop/web',
      'workload-coverage FAIL StatefulSet payments/ledger',
      'workload-egress-coverage FAIL Deployment shop/web',
      'workload-egress-coverage FAIL StatefulSet payments/ledger',
      'default-deny FAIL Namespace -/payments',
      'default-deny PASS Namespace -/shop',
      'permissive-policy PASS NetworkPolicy shop/deny',
      'dangling-policy PASS NetworkPolicy shop/deny',
      'inert-policy PASS NetworkPolicy shop/deny',
      'unenforceable-workload PASS Deployment shop/web',
      'unenforceable-workload PASS StatefulSet payments/ledger',
      'control FAIL Cluster -/prod-eu',
    ]);
  });

  it('rolls the Medium failures of this run up into the control finding', () => {
    const control = auditSnapshot(cluster(), options()).find((f) => f.check_id === CheckId.Control);

    expect(control?.message).toBe('C-0230 fails: namespace-coverage 1 FAIL, workload-coverage 1 FAIL.');
  });

  it('describes each finding with the words of its registry entry', () => {
    const findings = auditSnapshot(cluster(), options());

    const mismatched = findings.filter((f) => {
      const entry = CHECKS.find((candidate) => candidate.id === f.check_id);
      return entry === undefined || f.title !== entry.title || f.severity !== entry.severity || f.requirements.join() !== entry.requirements.join();
    });
    expect(mismatched).toEqual([]);
  });

  it('gives the same findings, in the same order, whatever the order of the input objects', () => {
    const snap = cluster();
    const shuffled = cluster({ pods: [...(snap.kube.pods ?? [])].reverse(), namespaces: [...(snap.kube.namespaces ?? [])].reverse() });

    expect(auditSnapshot(shuffled, options())).toEqual(auditSnapshot(snap, options()));
  });

  it('keeps finding ids across runs and changes only the run fields', () => {
    const first = auditSnapshot(cluster(), { ...options(), runId: 'run-a', observedAt: new Date('2025-06-01T00:00:00Z') });
    const second = auditSnapshot(cluster(), { ...options(), runId: 'run-b', observedAt: new Date('2025-06-02T00:00:00Z') });

    expect(second.map((f) => f.finding_id)).toEqual(first.map((f) => f.finding_id));
    expect(new Set(second.map((f) => f.run_id))).toEqual(new Set(['run-b']));
  });

  it('reports nothing about excluded namespaces or their objects', () => {
    const findings = auditSnapshot(cluster(), options(['kube-system', 'shop']));

    const aboutExcluded = findings.filter(
      (f) => ['kube-system', 'shop'].includes(f.resource.namespace ?? '') || (f.resource.kind === 'Namespace' && ['kube-system', 'shop'].includes(f.resource.name)),
    );
    // The engine's own agent is the one exception: engine-health judges it wherever it runs.
    expect(aboutExcluded.map(label)).toEqual(['engine-health PASS DaemonSet kube-system/aws-node']);
  });

  it('audits kube-system under strict CIS (no exclusions)', () => {
    const findings = auditSnapshot(cluster(), options([]));

    expect(findings.filter((f) => f.check_id === CheckId.WorkloadCoverage && f.resource.namespace === 'kube-system').map(label)).toEqual([
      'workload-coverage FAIL Deployment kube-system/coredns',
    ]);
  });

  it('gives one PASS on the cluster for a check with nothing to judge', () => {
    const findings = auditSnapshot(cluster({ networkPolicies: [] }), options());

    expect(findings.filter((f) => f.check_id === CheckId.PermissivePolicy).map((f) => [label(f), f.message])).toEqual([
      ['permissive-policy PASS Cluster -/prod-eu', 'Nothing to evaluate: there are no policies, in the audited namespaces or cluster-scoped (excluded namespaces: kube-system, kube-public, kube-node-lease).'],
    ]);
  });

  it('makes every in-cluster check UNKNOWN, once, with the reason when the Kubernetes API was out of reach', () => {
    // Prepare
    const unreachable = snapshot({}, { problems: [{ kind: 'cluster', reason: 'the API server did not answer within 10 s', remediation: 'Check the endpoint access.' }] });

    // Act
    const findings = auditSnapshot(unreachable, options());

    // Assess
    const inCluster = findings.filter((f) => !['engine', 'engine-health', 'control'].includes(f.check_id));
    expect(inCluster.map((f) => [f.check_id, f.status, f.resource.kind])).toEqual(
      ['namespace-coverage', 'workload-coverage', 'workload-egress-coverage', 'default-deny', 'permissive-policy', 'dangling-policy', 'inert-policy', 'unenforceable-workload'].map((id) => [id, Status.Unknown, 'Cluster']),
    );
    expect(new Set(inCluster.map((f) => f.remediation))).toEqual(new Set(['Check the endpoint access.']));
    expect(findings.find((f) => f.check_id === CheckId.Control)?.status).toBe(Status.Unknown);
  });
});
