/**
 * A live audit where the auditor may not list one policy API the engine enforces (a 403 on AWS
 * ClusterNetworkPolicies, served by the cluster): only the isolation checks, which cannot decide without it, are
 * UNKNOWN, naming the resource and the RBAC rule to add; the per-policy checks still judge the policies they read.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { auditSnapshot, type Finding } from '../lambda/audit/index.js';
import { collectedSnapshot, collectKubeInventory } from '../lambda/collect/kubernetes.js';
import type { PolicyEndpoint } from '../lambda/audit/snapshot.js';
import { loadOfflineSnapshot } from '../lambda/collect/offline.js';
import { CASES_DIR, caseOptions, caseSources } from './support/cases.js';
import { kubeConfigFor, startKubeApiServer, type KubeApiServer } from './support/kube-api-server.js';

const CASE = join(CASES_DIR, 'vpc-cni-in-cluster-enforcing-all-pass');

describe('a 403 on one policy API, live', () => {
  let server: KubeApiServer;
  let findings: Finding[];

  beforeAll(async () => {
    const offline = await loadOfflineSnapshot(caseSources(CASE), () => undefined);
    // Every CRD-backed row is served: the application policies are read (none), the default deny's PolicyEndpoint too,
    // the cluster policies are forbidden.
    const endpoint: PolicyEndpoint = {
      apiVersion: 'networking.k8s.aws/v1alpha1',
      kind: 'PolicyEndpoint',
      metadata: { name: 'default-deny-x7k2p', namespace: 'shop', ownerReferences: [{ kind: 'NetworkPolicy', name: 'default-deny', controller: true }] },
      spec: { policyRef: { name: 'default-deny', namespace: 'shop' } },
    };
    const kube = { ...offline.kube, applicationNetworkPolicies: [], policyEndpoints: [endpoint], clusterPolicyEndpoints: [], nodeClasses: [], awsClusterNetworkPolicies: undefined };
    server = await startKubeApiServer({ inventory: kube, served: { awsClusterNetworkPolicies: true } });
    const live = await collectKubeInventory(kubeConfigFor(server));
    findings = auditSnapshot({ ...offline, ...collectedSnapshot(live), problems: live.problems }, caseOptions(CASE));
  });
  afterAll(() => server.close());

  it('makes only the isolation checks and the roll-up UNKNOWN', () => {
    // Prepare
    const unknown = (finding: Finding) => finding.status === 'UNKNOWN';

    // Act
    const undecided = findings.filter(unknown).map((finding) => finding.check_id);

    // Assess
    expect(undecided).toEqual(['namespace-coverage', 'workload-coverage', 'workload-egress-coverage', 'default-deny', 'control']);
    expect(findings.filter((finding) => ['permissive-policy', 'dangling-policy', 'inert-policy'].includes(finding.check_id)).map((finding) => finding.status)).toEqual([
      'PASS',
      'PASS',
      'PASS',
    ]);
  });

  it('names the forbidden resource and the RBAC rule that grants it', () => {
    // Prepare
    const coverage = findings.find((finding) => finding.check_id === 'workload-coverage');

    // Act
    const { message, remediation } = coverage ?? { message: '', remediation: '' };

    // Assess
    expect(message).toBe(
      'Not evaluated: ClusterNetworkPolicies (networking.k8s.aws) were not read (403 Forbidden: cannot list clusternetworkpolicies.networking.k8s.aws at cluster scope).',
    );
    expect(remediation).toContain('apiGroups: ["networking.k8s.aws"], resources: ["clusternetworkpolicies"], verbs: ["get", "list", "watch"]');
  });
});
