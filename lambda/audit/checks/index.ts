/**
 * The check registry: every check of the control in the order findings are reported, each with the words and
 * classification a finding carries (title, severity, requirements, default remediation) and the Kubernetes data it
 * needs. Adding a check is one module plus one entry here.
 */
import type { AuditContext } from '../check.js';
import type { CheckVerdict } from '../verdict.js';
import { Severity, type CheckId } from '../finding.js';
import type { CheckDescription } from '../findings.js';
import type { KindBucket } from '../kinds.js';
import { controlCheck, type CheckOutcome } from './control.js';
import { danglingPolicyCheck } from './dangling-policy.js';
import { defaultDenyCheck } from './default-deny.js';
import { engineCheck } from './engine.js';
import { engineHealthCheck } from './engine-health.js';
import { inertPolicyCheck } from './inert-policy.js';
import { namespaceCoverageCheck } from './namespace-coverage.js';
import { permissivePolicyCheck } from './permissive-policy.js';
import { unenforceableWorkloadCheck } from './unenforceable-workload.js';
import { workloadCoverageCheck } from './workload-coverage.js';
import { workloadEgressCoverageCheck } from './workload-egress-coverage.js';

/**
 * A check as the runner calls it. Every `Check` fits (it ignores `earlier`); the `control` roll-up reads `earlier`,
 * the outcomes of the checks listed before it.
 */
export interface RunnableCheck {
  id: CheckId;
  evaluate(context: AuditContext, earlier: readonly CheckOutcome[]): CheckVerdict[];
}

/** A registry entry: the check, how its findings are described, and the Kubernetes kinds it cannot decide without. */
export interface RegisteredCheck extends CheckDescription {
  check: RunnableCheck;
  /** When one of these was not read, the runner reports one UNKNOWN instead of evaluating the check. */
  needs: readonly KindBucket[];
  /**
   * The check judges isolation, so it also needs the policy APIs the running engines enforce (isolation/apis.ts):
   * a ClusterNetworkPolicy not read could defeat what it would pass, an ApplicationNetworkPolicy isolate what it
   * would fail.
   */
  needsEnforcedPolicyApis?: boolean;
  /** What the check judges, for the one PASS on the cluster when there is none of it ("no <scope>"). */
  scope: string;
}

const CIS_5_4_4 = 'CIS EKS 5.4.4';

function register(check: RunnableCheck, description: Omit<RegisteredCheck, 'id' | 'check'>): RegisteredCheck {
  return { id: check.id, check, ...description };
}

/** Every check, in report order; `control` is last because it rolls up the ones before it. */
export const CHECKS: readonly RegisteredCheck[] = [
  register(engineCheck, {
    title: 'A NetworkPolicy engine is enabled and enforcing',
    severity: Severity.Medium,
    requirements: [CIS_5_4_4, 'CIS EKS 4.3.1'],
    remediation:
      'Enable NetworkPolicy enforcement: on the Amazon VPC CNI set enableNetworkPolicy to "true" in the vpc-cni add-on configuration (aws eks update-addon --cluster-name CLUSTER --addon-name vpc-cni --configuration-values \'{"enableNetworkPolicy":"true"}\'), or install an engine such as Calico or Cilium.',
    needs: [],
    scope: 'engine verdict',
  }),
  register(engineHealthCheck, {
    title: "The NetworkPolicy engine's node agents are ready on every node",
    severity: Severity.Medium,
    requirements: [CIS_5_4_4],
    remediation:
      'Find the agent pods that are not ready (kubectl get pods -n NAMESPACE -l AGENT-SELECTOR -o wide) and fix them: on a node without a ready agent, policies are not enforced.',
    needs: [],
    scope: 'engine node agents',
  }),
  register(namespaceCoverageCheck, {
    title: 'Every namespace is isolated by a network policy',
    severity: Severity.Medium,
    requirements: [CIS_5_4_4, 'CIS EKS 4.3.2'],
    remediation: 'Apply a default-deny NetworkPolicy (podSelector {}, policyTypes [Ingress]) in the namespace, then allow the traffic each workload needs.',
    needs: ['namespaces', 'networkPolicies'],
    needsEnforcedPolicyApis: true,
    scope: 'audited namespaces',
  }),
  register(workloadCoverageCheck, {
    title: 'Every running pod is isolated for Ingress',
    severity: Severity.Medium,
    requirements: [CIS_5_4_4],
    remediation: "Select the workload's pods for Ingress with a NetworkPolicy of their namespace (a default-deny with podSelector {} selects them all).",
    needs: ['pods', 'networkPolicies'],
    needsEnforcedPolicyApis: true,
    scope: 'workloads with a running pod outside the host network in the audited namespaces',
  }),
  register(workloadEgressCoverageCheck, {
    title: 'Every running pod is isolated for Egress',
    severity: Severity.Low,
    requirements: [CIS_5_4_4],
    remediation: "Select the workload's pods for Egress with a NetworkPolicy of their namespace (remember to allow DNS).",
    needs: ['pods', 'networkPolicies'],
    needsEnforcedPolicyApis: true,
    scope: 'workloads with a running pod outside the host network in the audited namespaces',
  }),
  register(defaultDenyCheck, {
    title: 'The namespace denies Ingress by default',
    severity: Severity.Low,
    requirements: [CIS_5_4_4],
    remediation: 'Apply a NetworkPolicy with podSelector {}, policyTypes [Ingress] and no ingress rules in the namespace.',
    needs: ['namespaces', 'networkPolicies'],
    needsEnforcedPolicyApis: true,
    scope: 'audited namespaces',
  }),
  register(permissivePolicyCheck, {
    title: 'No policy admits all traffic from everywhere or from every namespace',
    severity: Severity.Low,
    requirements: [CIS_5_4_4],
    remediation: 'Give each ingress rule a "from" that names only the pods, namespaces or address ranges that need access.',
    needs: ['networkPolicies'],
    scope: 'policies, in the audited namespaces or cluster-scoped',
  }),
  register(danglingPolicyCheck, {
    title: 'Every policy selects a running pod',
    severity: Severity.Informational,
    requirements: [CIS_5_4_4],
    remediation: 'Fix the selector of the policy to match the labels of the pods it is meant to protect.',
    needs: ['pods', 'networkPolicies'],
    scope: 'policies, in the audited namespaces or cluster-scoped',
  }),
  register(inertPolicyCheck, {
    title: 'Every policy is enforced by an engine that runs in the cluster',
    severity: Severity.Low,
    requirements: [CIS_5_4_4],
    remediation:
      "Run an engine that enforces the policy's API (the VPC CNI's network policy agent or EKS Auto Mode for the networking.k8s.aws APIs), or rewrite the policy in an API the cluster's engine enforces; where its PolicyEndpoint is missing, check that ConfigMap kube-system/amazon-vpc-cni sets enable-network-policy-controller: \"true\" and that nothing blocks the controller from writing PolicyEndpoints.",
    needs: ['pods', 'networkPolicies'],
    scope: 'policies, in the audited namespaces or cluster-scoped',
  }),
  register(unenforceableWorkloadCheck, {
    title: 'No pod is out of reach of the NetworkPolicy engine',
    severity: Severity.Low,
    requirements: [CIS_5_4_4],
    remediation:
      'No NetworkPolicy can isolate these pods: drop hostNetwork unless the workload needs the node network; protect Fargate pods with security groups for pods; on Windows nodes under the VPC CNI, use security groups for pods or schedule the workload on Linux nodes.',
    needs: ['pods'],
    scope: 'workloads with a running pod in the audited namespaces',
  }),
  register(controlCheck, {
    title: 'Network policy is enabled and set as appropriate (C-0230)',
    severity: Severity.Medium,
    requirements: [CIS_5_4_4],
    remediation:
      'Resolve the failing or undecided Medium checks of this cluster (engine, engine-health, namespace-coverage, workload-coverage): each of their findings carries its own remediation.',
    needs: [],
    scope: 'Medium checks',
  }),
];
