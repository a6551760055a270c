/**
 * The benchmark's synthetic clusters are what they claim to be: the offline loader reads every object of a generated
 * capture without a warning, and the engine audits it as a VPC CNI cluster with the expected coverage — so the
 * benchmark's figures are about a realistic, fully read cluster, not about skipped or rejected input.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CaptureFormat, clusterCounts, shapeForPods, writeClusterList, type ClusterShape } from '../../bench/synthetic-cluster.js';
import { auditSnapshot, DEFAULT_EXCLUDED_NAMESPACES, type Finding } from '../../lambda/audit/index.js';
import type { ClusterSnapshot } from '../../lambda/audit/snapshot.js';
import { loadOfflineSnapshot } from '../../lambda/collect/offline.js';

// 2,000 pods in 20 namespaces: two of them (the 1st and the 11th) admit all traffic to their frontends instead of
// denying by default.
const SHAPE: ClusterShape = shapeForPods(2_000);

describe('a generated capture', () => {
  let dir: string;
  let file: string;
  let bytes: number;
  let snapshot: ClusterSnapshot;
  const warnings: string[] = [];
  let findings: Finding[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bench-cluster-'));
    file = join(dir, 'cluster.json');
    bytes = (await writeClusterList(file, SHAPE)).bytes;
    snapshot = await loadOfflineSnapshot({ kube: [file], eksAddons: [] }, (warning) => warnings.push(warning));
    const options = { runId: 'test', observedAt: new Date('2026-09-14T00:00:00Z'), excludedNamespaces: [...DEFAULT_EXCLUDED_NAMESPACES] };
    findings = auditSnapshot(snapshot, options);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const statusOf = (checkId: string) => findings.filter((finding) => finding.check_id === checkId).map((finding) => finding.status);

  it('is sized by the shape: 100 pods and 5 policies per team namespace', () => {
    // Prepare
    const expected = clusterCounts(SHAPE);

    // Act
    const kube = snapshot.kube;

    // Assess
    expect(kube.pods).toHaveLength(expected.pods);
    expect(kube.pods?.filter((pod) => pod.status?.phase === 'Running')).toHaveLength(expected.runningPods);
    expect(kube.networkPolicies).toHaveLength(20 * 5);
    expect([kube.applicationNetworkPolicies?.length, kube.awsClusterNetworkPolicies?.length]).toEqual([expected.applicationNetworkPolicies, expected.clusterNetworkPolicies]);
    expect([expected.applicationNetworkPolicies, expected.clusterNetworkPolicies]).toEqual([20, 100]);
    expect(kube.namespaces).toHaveLength(expected.namespaces);
    expect(kube.replicaSets).toHaveLength(expected.replicaSets);
    expect(kube.nodes).toHaveLength(expected.nodes);
    expect(kube.jobs).toHaveLength(expected.jobs);
    expect(kube.configMaps).toHaveLength(expected.configMaps);
    expect(bytes).toBeGreaterThan(expected.pods * 3_000);
  });

  it('loads without a warning and leaves no kind unread', () => {
    // Prepare: loading happened in beforeAll

    // Act
    const unread = snapshot.problems.map((problem) => problem.kind);

    // Assess
    expect(warnings).toEqual([]);
    expect(unread).toEqual([]);
  });

  it('runs the VPC CNI native policy engine, healthy on every node', () => {
    // Prepare: the audit ran in beforeAll

    // Act
    const engine = statusOf('engine');
    const health = statusOf('engine-health');

    // Assess
    expect(engine).toEqual(['PASS']);
    expect(health).toEqual(['PASS']);
  });

  it('covers every workload for ingress but the batch ones of the namespaces without default-deny', () => {
    // Prepare: 10 Deployments per namespace over 5 tiers; without default-deny, only the policy excluding batch
    // pods and those naming other tiers select pods for Ingress
    const coverage = findings.filter((finding) => finding.check_id === 'workload-coverage');

    // Act
    const failed = coverage.filter((finding) => finding.status === 'FAIL');

    // Assess
    expect(coverage).toHaveLength(20 * 10);
    expect(failed.map((finding) => finding.resource.namespace)).toEqual(['team-0001', 'team-0001', 'team-0011', 'team-0011']);
    expect(failed.every((finding) => finding.message.includes('Deployment'))).toBe(true);
  });

  it('applies each Baseline deny-all to the namespaces of its group, and keeps every AWS policy enforced', () => {
    // Prepare: 20 team namespaces in groups g1…g20; the even groups have a Baseline deny of all ingress

    // Act
    const baseline = findings.filter((finding) => finding.check_id === 'dangling-policy' && finding.resource.name.startsWith('baseline-deny-'));
    const inert = findings.filter((finding) => finding.check_id === 'inert-policy' && finding.status !== 'PASS');

    // Assess
    expect(baseline.filter((finding) => finding.status === 'PASS').map((finding) => finding.resource.name)).toEqual(
      Array.from({ length: 10 }, (_, index) => `baseline-deny-g${2 * index + 2}`).sort(),
    );
    expect(inert).toEqual([]);
  });

  it('finds the permissive policy of every tenth namespace', () => {
    // Prepare: the audit ran in beforeAll

    // Act
    const permissive = findings
      .filter((finding) => finding.check_id === 'permissive-policy' && finding.status === 'FAIL')
      .map((finding) => `${finding.resource.namespace}/${finding.resource.name}`);

    // Assess
    expect(permissive).toEqual(['team-0001/allow-all-to-frontend', 'team-0011/allow-all-to-frontend']);
  });

  it('writes the same bytes every time', async () => {
    // Prepare
    const again = join(dir, 'again.json');

    // Act
    await writeClusterList(again, SHAPE);

    // Assess
    expect((await readFile(again)).equals(await readFile(file))).toBe(true);
  });

  it('as kubectl prints it (indented, managedFields on every object, CRDs included) audits as the compact capture does', async () => {
    // Prepare
    const kubectl = join(dir, 'kubectl.json');
    const { bytes: kubectlBytes } = await writeClusterList(kubectl, SHAPE, CaptureFormat.Kubectl);
    const options = { runId: 'test', observedAt: new Date('2026-09-14T00:00:00Z'), excludedNamespaces: [...DEFAULT_EXCLUDED_NAMESPACES] };

    // Act
    const kubectlWarnings: string[] = [];
    const kubectlFindings = auditSnapshot(await loadOfflineSnapshot({ kube: [kubectl], eksAddons: [] }, (warning) => kubectlWarnings.push(warning)), options);

    // Assess
    const text = await readFile(kubectl, 'utf8');
    expect(text.split('\n                "managedFields": [').length - 1).toBeGreaterThan(clusterCounts(SHAPE).pods);
    expect(kubectlBytes).toBeGreaterThan(2 * bytes);
    expect(kubectlWarnings).toEqual([]);
    expect(kubectlFindings.map((finding) => [finding.check_id, finding.status, finding.message])).toEqual(findings.map((finding) => [finding.check_id, finding.status, finding.message]));
  });
});
