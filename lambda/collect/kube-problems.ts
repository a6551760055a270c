/**
 * The words of Kubernetes collection problems: what could not be read, why, and the commands that grant the
 * access. Kept apart from the collector so the remediation a user applies can be read (and reviewed) in one place.
 */
import { kindOfBucket, resourceName, type KindBucket, type KindSpec } from '../audit/kinds.js';
import type { CollectionProblem, InventoryKind } from '../audit/snapshot.js';
import { FailureType, type KubeFailure } from './kube-errors.js';
import { AUDITOR_GROUP, applyRbacCommand, readRuleOf, viewPolicyGrants } from './kube-rbac.js';

/** Who is calling which cluster, for remediation commands; missing parts become `<placeholders>`. */
export interface AccessTarget {
  /** EKS `accessConfig.authenticationMode`: `API`, `API_AND_CONFIG_MAP` or `CONFIG_MAP`. */
  authenticationMode?: string;
  clusterName?: string;
  region?: string;
  /** The caller's IAM role (an STS assumed-role ARN is turned into its role ARN). */
  roleArn?: string;
}

/** Where a failed request was going, for the problem's reason. */
export interface FailedRequest {
  /** The API server URL. */
  server: string;
  /** What was asked, e.g. `list pods at cluster scope`. */
  operation: string;
  attempts: number;
  timeoutMs: number;
}

/** The reason of the single problem a rejected credential produces. */
const UNAUTHORIZED_REASON = '401 Unauthorized: the Kubernetes API rejected the credentials';

/**
 * Failures that make the whole API unusable (every kind would fail the same way). The others — a kind refused, not
 * served, or answered badly (cut short, too large, not a list, redirected elsewhere) — leave only that kind unread.
 */
const CLUSTER_WIDE: ReadonlySet<FailureType> = new Set([
  FailureType.Unauthorized,
  FailureType.Tls,
  FailureType.Credentials,
  FailureType.Throttled,
  FailureType.ServerError,
  FailureType.Timeout,
  FailureType.Network,
]);

/** True for failures that make the whole API unusable (every kind would fail the same way). */
export function isClusterWide(failure: KubeFailure): boolean {
  return CLUSTER_WIDE.has(failure.type);
}

/** The `cluster` problem for a failure that {@link isClusterWide}. */
export function clusterProblem(failure: KubeFailure, request: FailedRequest, target: AccessTarget): CollectionProblem {
  const where = `the Kubernetes API at ${request.server}`;
  const tried = `${request.attempts} attempt${request.attempts === 1 ? '' : 's'}, ${request.operation}`;
  switch (failure.type) {
    case FailureType.Unauthorized:
      return { kind: 'cluster', reason: UNAUTHORIZED_REASON, remediation: accessRemediation(target) };
    case FailureType.Tls:
      return {
        kind: 'cluster',
        reason: `TLS verification of ${where} failed (${failure.detail})`,
        remediation:
          "The server's certificate does not verify against the cluster's certificate authority: check the kubeconfig's " +
          'certificate-authority-data (or certificateAuthority.data from aws eks describe-cluster) and that the endpoint is the cluster\'s.',
      };
    case FailureType.Credentials:
      return {
        kind: 'cluster',
        reason: `could not obtain credentials for ${where}: ${failure.detail}`,
        remediation: target.clusterName
          ? 'Check the AWS credentials the auditor runs with: they sign the EKS token (sts:GetCallerIdentity).'
          : "Check the kubeconfig user's credentials (exec plugin, token file, client certificate).",
      };
    case FailureType.Throttled:
      return {
        kind: 'cluster',
        reason: `429 Too Many Requests: ${where} kept throttling (${tried})`,
        remediation: 'The API server rate-limits this identity (API Priority and Fairness): run the audit later, or audit fewer clusters at once.',
      };
    case FailureType.ServerError:
      return {
        kind: 'cluster',
        reason: `HTTP ${failure.status ?? 500}: ${where} kept failing (${tried}): ${failure.detail}`,
        remediation: "Check the control plane's health (EKS console, control plane logs) and run the audit again.",
      };
    case FailureType.Timeout:
      return { kind: 'cluster', reason: `${where} did not answer within ${request.timeoutMs} ms (${tried})`, remediation: UNREACHABLE_REMEDIATION };
    default:
      return { kind: 'cluster', reason: `cannot reach ${where}: ${failure.detail} (${tried})`, remediation: UNREACHABLE_REMEDIATION };
  }
}

const UNREACHABLE_REMEDIATION =
  "If the cluster's API endpoint is private (endpointPublicAccess false, or public access limited to CIDRs that exclude " +
  "the auditor), run the auditor in the cluster's VPC: Lambda subnets there and a security group that the cluster " +
  'security group admits on port 443. Otherwise check DNS, proxies and firewalls between the auditor and the endpoint.';

/**
 * The problem of one kind (an inventory bucket) the API refused, does not serve, or answered badly; the other kinds
 * are still read. A 403 names the exact RBAC rule: the view access for the kinds `AmazonEKSViewPolicy` grants, the
 * auditor's ClusterRole (kube-rbac.ts) for the others.
 */
export function kindProblem(kind: InventoryKind, failure: KubeFailure, operation: string, target: AccessTarget): CollectionProblem {
  if (failure.type === FailureType.Forbidden) {
    const spec = kindOfBucket(kind as KindBucket);
    const remediation = viewPolicyGrants(spec) ? viewRemediation(target) : extraReadRemediation(spec, target);
    return { kind, reason: `403 Forbidden: cannot ${operation}`, remediation };
  }
  if (failure.type === FailureType.NotFound) {
    return { kind, reason: `404 Not Found: the API server does not serve what is needed to ${operation}` };
  }
  const status = failure.status === undefined ? '' : `HTTP ${failure.status}: `;
  return { kind, reason: `${status}cannot ${operation}: ${failure.detail}` };
}

/** What grants the auditor read access when its credentials are not mapped to anything in the cluster. */
function accessRemediation(target: AccessTarget): string {
  const t = placeholders(target);
  if (target.authenticationMode === 'CONFIG_MAP') {
    return [
      `The cluster authenticates with the aws-auth ConfigMap only: map the role with \`kubectl edit configmap aws-auth -n kube-system\`, adding under mapRoles:`,
      `- rolearn: ${t.role}`,
      `  username: ${AUDITOR_GROUP}`,
      `  groups: [${AUDITOR_GROUP}]`,
      `(or \`eksctl create iamidentitymapping --cluster ${t.cluster} --region ${t.region} --arn ${t.role} --username ${AUDITOR_GROUP} --group ${AUDITOR_GROUP}\`), then grant the group read access:`,
      ...rbacCommands(),
    ].join('\n');
  }
  if (!target.clusterName && !target.authenticationMode) {
    return "Check the kubeconfig user's credentials (expired token or certificate?) and that the identity may read the cluster (the view ClusterRole, and list on nodes).";
  }
  return [
    `Give the role read access through an EKS access entry:`,
    `aws eks create-access-entry --cluster-name ${t.cluster} --principal-arn ${t.role} --region ${t.region}`,
    viewPolicyCommand(t),
  ].join('\n');
}

/** Read access to a forbidden kind: the cluster-scoped view policy (access entries) or the view ClusterRole. */
function viewRemediation(target: AccessTarget): string {
  const t = placeholders(target);
  if (target.authenticationMode === 'CONFIG_MAP') {
    return ['Bind the role\'s aws-auth group to the view ClusterRole:', rbacCommands()[0] as string].join('\n');
  }
  if (!target.clusterName && !target.authenticationMode) {
    return 'Grant the kubeconfig identity read access at cluster scope, e.g. a ClusterRoleBinding to the view ClusterRole.';
  }
  return ['Associate the read-only access policy at cluster scope (not namespace scope):', viewPolicyCommand(t)].join('\n');
}

/**
 * Read access to a kind `AmazonEKSViewPolicy` (and the `view` ClusterRole) does not grant: the rule to add, the
 * auditor's read-only ClusterRole bound to its group, and how to put the identity in that group.
 */
function extraReadRemediation(spec: KindSpec, target: AccessTarget): string {
  const t = placeholders(target);
  const why = spec.bucket === 'nodes' ? 'Optional: nodes let the audit recognise Windows and Fargate nodes. ' : '';
  const membership =
    target.authenticationMode === 'CONFIG_MAP'
      ? `and put the role in the group ${AUDITOR_GROUP} (its aws-auth mapRoles entry).`
      : target.clusterName || target.authenticationMode
        ? `and put the role in that group: aws eks update-access-entry --cluster-name ${t.cluster} --principal-arn ${t.role} --kubernetes-groups ${AUDITOR_GROUP} --region ${t.region}`
        : `and put the kubeconfig identity in that group (or bind the ClusterRole to the identity itself).`;
  return [
    `${why}AmazonEKSViewPolicy and the view ClusterRole do not grant ${resourceName(spec)}; the rule to add: ${readRuleOf(spec)}. ` +
      `Apply the auditor's read-only ClusterRole, bound to the group ${AUDITOR_GROUP}:`,
    applyRbacCommand(),
    membership,
  ].join('\n');
}

function viewPolicyCommand(t: Placeholders): string {
  return (
    `aws eks associate-access-policy --cluster-name ${t.cluster} --principal-arn ${t.role} ` +
    `--policy-arn arn:${t.partition}:eks::aws:cluster-access-policy/AmazonEKSViewPolicy --access-scope type=cluster --region ${t.region}`
  );
}

/** The RBAC objects for the auditor's group: view everywhere, plus the auditor's ClusterRole (nodes, policy APIs). */
function rbacCommands(): string[] {
  return [`kubectl create clusterrolebinding ${AUDITOR_GROUP}-view --clusterrole=view --group=${AUDITOR_GROUP}`, applyRbacCommand()];
}

interface Placeholders {
  cluster: string;
  region: string;
  role: string;
  partition: string;
}

function placeholders(target: AccessTarget): Placeholders {
  const role = target.roleArn ? iamRoleArn(target.roleArn) : '<role-arn>';
  return {
    cluster: target.clusterName ?? '<cluster-name>',
    region: target.region ?? '<region>',
    role,
    partition: /^arn:([^:]+):/.exec(role)?.[1] ?? 'aws',
  };
}

/**
 * Access entries and aws-auth name the IAM role, not the STS session a Lambda or CLI runs as:
 * `arn:aws:sts::123456789012:assumed-role/Name/session` becomes `arn:aws:iam::123456789012:role/Name`.
 */
function iamRoleArn(arn: string): string {
  const session = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(arn);
  return session ? `arn:${session[1]}:iam::${session[2]}:role/${session[3]}` : arn;
}
