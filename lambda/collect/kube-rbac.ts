/**
 * The Kubernetes read access the audit needs beyond EKS's `AmazonEKSViewPolicy`, derived from the kinds table: one
 * read-only ClusterRole for the rows the view policy does not grant (nodes, and every CRD-backed policy API), bound
 * to the Kubernetes group the auditor's access entry carries. The manifest is printed in 403 remediations and
 * shipped in docs/live-audit.md (a test keeps the two equal), and the stack's access entries name the group.
 *
 * Source: "Review access policy permissions" in the Amazon EKS User Guide (awsdocs/amazon-eks-user-guide,
 * latest/ug/manage-access/k8s-access/access-policy-reference.adoc): `AmazonEKSViewPolicy` grants get/list/watch on
 * core namespaces, pods, configmaps and other workload resources, `apps`, `batch`, `networking.k8s.io` ingresses and
 * networkpolicies — but neither nodes nor any API group a CRD adds (`networking.k8s.aws`, `eks.amazonaws.com`,
 * `cilium.io`, `projectcalico.org`, `crd.projectcalico.org`, `policy.networking.k8s.io`, `crd.antrea.io`).
 */
import { KINDS, resourceName, type KindSpec } from '../audit/kinds.js';

/** The Kubernetes group that the auditor's identity is put in (access entry `kubernetesGroups`, or aws-auth). */
export const AUDITOR_GROUP = 'eks-netpol-auditor';

/** The name of the read-only ClusterRole (and of its binding). */
export const AUDITOR_CLUSTER_ROLE = 'eks-netpol-auditor-read';

/** The resources of the kinds table that `AmazonEKSViewPolicy` lets read at cluster scope (see the source above). */
const VIEW_POLICY_GRANTS: ReadonlySet<string> = new Set([
  'namespaces',
  'pods',
  'configmaps',
  'networkpolicies.networking.k8s.io',
  'daemonsets.apps',
  'replicasets.apps',
  'jobs.batch',
]);

/** One rule of the ClusterRole. */
export interface ReadRule {
  apiGroup: string;
  resources: string[];
}

const VERBS = ['get', 'list', 'watch'] as const;

/** True when `AmazonEKSViewPolicy` (and Kubernetes' `view` ClusterRole) lets the identity read `spec`'s kind. */
export function viewPolicyGrants(spec: KindSpec): boolean {
  return VIEW_POLICY_GRANTS.has(resourceName(spec));
}

/** The rules of the ClusterRole: every row the view policy does not grant, one rule per API group. */
export function extraReadRules(): ReadRule[] {
  const byGroup = new Map<string, string[]>();
  for (const spec of KINDS.filter((row) => !viewPolicyGrants(row))) {
    byGroup.set(spec.group, [...(byGroup.get(spec.group) ?? []), spec.plural]);
  }
  return [...byGroup].map(([apiGroup, resources]) => ({ apiGroup, resources }));
}

/** The rule that grants reading `spec`'s kind, as a one-line RBAC rule. */
export function readRuleOf(spec: KindSpec): string {
  return `apiGroups: ["${spec.group}"], resources: ["${spec.plural}"], verbs: [${VERBS.map((verb) => `"${verb}"`).join(', ')}]`;
}

/** The ClusterRole and its ClusterRoleBinding to {@link AUDITOR_GROUP}, as one YAML manifest for `kubectl apply -f`. */
export function auditorRbacManifest(): string {
  const rules = extraReadRules().flatMap((rule) => [
    `  - apiGroups: ["${rule.apiGroup}"]`,
    `    resources: [${rule.resources.map((resource) => `"${resource}"`).join(', ')}]`,
    `    verbs: [${VERBS.map((verb) => `"${verb}"`).join(', ')}]`,
  ]);
  return [
    'apiVersion: rbac.authorization.k8s.io/v1',
    'kind: ClusterRole',
    'metadata:',
    `  name: ${AUDITOR_CLUSTER_ROLE}`,
    'rules:',
    ...rules,
    '---',
    'apiVersion: rbac.authorization.k8s.io/v1',
    'kind: ClusterRoleBinding',
    'metadata:',
    `  name: ${AUDITOR_CLUSTER_ROLE}`,
    'roleRef:',
    '  apiGroup: rbac.authorization.k8s.io',
    '  kind: ClusterRole',
    `  name: ${AUDITOR_CLUSTER_ROLE}`,
    'subjects:',
    '  - apiGroup: rbac.authorization.k8s.io',
    '    kind: Group',
    `    name: ${AUDITOR_GROUP}`,
    '',
  ].join('\n');
}

/** The shell command that applies {@link auditorRbacManifest} (a here-document, so it runs as printed). */
export function applyRbacCommand(): string {
  return `kubectl apply -f - <<'EOF'\n${auditorRbacManifest()}EOF`;
}
