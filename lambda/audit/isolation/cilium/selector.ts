/**
 * Cilium's label semantics for endpoint selectors (POLICY-APIS.md §3.1). A selector key may carry a source prefix
 * (`k8s:app`; a key without one means `any:app`), and a pod's endpoint has, all of source `k8s`, the pod's
 * identity-relevant labels (not `pod-template-hash`, `controller-revision-hash`, `kubernetes.io/…`, …) plus
 * those Cilium derives: its namespace (`io.kubernetes.pod.namespace`), its namespace's labels
 * (`io.cilium.k8s.namespace.labels.<key>`) and its service account (`io.cilium.k8s.policy.serviceaccount`). A key of
 * another source (`reserved:host`, `cidr:…`) is on no pod. The operators are LabelSelector's (selectors.ts).
 */
import { matchesSelector, selectorProblem, selectsEverything } from '../../selectors.js';
import type { LabelSelector, LabelSelectorRequirement, Pod } from '../../snapshot.js';

/** The label holding the endpoint's namespace name. */
export const POD_NAMESPACE_LABEL = 'io.kubernetes.pod.namespace';
const NAMESPACE_LABELS_PREFIX = 'io.cilium.k8s.namespace.labels.';
const SERVICE_ACCOUNT_LABEL = 'io.cilium.k8s.policy.serviceaccount';
const POD_SOURCES: ReadonlySet<string> = new Set(['k8s', 'any']);

// Stands for a key of a source no pod has: no label map holds a key starting with NUL, so it matches as absent.
const ABSENT = '\u0000';

/** A selector key without its source prefix (`k8s:app` → `app`), whatever the source. */
function unprefixed(key: string): string {
  return key.slice(key.indexOf(':') + 1);
}

/** The key as a pod's endpoint labels hold it, or a key no pod has when its source is not one of a pod's. */
function endpointKey(key: string): string {
  const colon = key.indexOf(':');
  return colon < 0 || POD_SOURCES.has(key.slice(0, colon)) ? key.slice(colon + 1) : `${ABSENT}${key}`;
}

function isNamespaceKey(key: string): boolean {
  return key === POD_NAMESPACE_LABEL || key.startsWith(NAMESPACE_LABELS_PREFIX);
}

/**
 * A Cilium selector's requirements in endpoint-label keys, split into those on the namespace (its name and labels)
 * and those on the pod. `matchLabels` become `In` requirements, so `app` and `k8s:app` both stay (they are ANDed).
 */
export interface SplitSelector {
  namespace: LabelSelector;
  pod: LabelSelector;
}

/** Splits `selector` (see {@link SplitSelector}). */
export function splitSelector(selector: LabelSelector | undefined): SplitSelector {
  const requirements: LabelSelectorRequirement[] = [
    ...Object.entries(selector?.matchLabels ?? {}).map(([key, value]) => ({ key, operator: 'In', values: [value] })),
    ...(selector?.matchExpressions ?? []),
  ].map((requirement) => ({ ...requirement, key: endpointKey(requirement.key) }));
  return {
    namespace: { matchExpressions: requirements.filter((requirement) => isNamespaceKey(requirement.key)) },
    pod: { matchExpressions: requirements.filter((requirement) => !isNamespaceKey(requirement.key)) },
  };
}

/** The namespace part of a pod's endpoint labels: the namespace name and each of the namespace's labels. */
export function namespaceEndpointLabels(name: string, labels: Record<string, string>): Record<string, string> {
  return {
    ...Object.fromEntries(Object.entries(labels).map(([key, value]) => [`${NAMESPACE_LABELS_PREFIX}${key}`, value])),
    [POD_NAMESPACE_LABEL]: name,
  };
}

/**
 * The pod labels Cilium leaves out of an endpoint's identity by default, so no selector can match them ("Limiting
 * Identity-Relevant Labels" in the Cilium docs; a `labels` setting of `cilium-config` can change the list). Cilium
 * matches each pattern from the key's start only, so `app.kubernetes.io/name` stays.
 */
const NOT_IDENTITY_RELEVANT = new RegExp(
  '^(' +
    [
      'io\\.kubernetes',
      'kubernetes\\.io',
      'statefulset\\.kubernetes\\.io/pod-name',
      'apps\\.kubernetes\\.io/pod-index',
      'batch\\.kubernetes\\.io/job-completion-index',
      '.*beta\\.kubernetes\\.io',
      'k8s\\.io',
      'pod-template-generation',
      'pod-template-hash',
      'controller-revision-hash',
      'annotation',
      'etcd_node',
    ].join('|') +
    ')',
);

/** The pod part of a pod's endpoint labels: its identity-relevant labels and its service account. */
function podEndpointLabels(pod: Pod): Record<string, string> {
  const relevant = Object.entries(pod.metadata.labels ?? {}).filter(([key]) => !NOT_IDENTITY_RELEVANT.test(key));
  return { ...Object.fromEntries(relevant), [SERVICE_ACCOUNT_LABEL]: pod.spec?.serviceAccountName ?? 'default' };
}

/** Whether the split selector matches `pod`, whose namespace has the endpoint labels `namespace`. */
export function selectsEndpoint(selector: SplitSelector, pod: Pod, namespace: Record<string, string>): boolean {
  return reachesNamespace(selector, namespace) && matchesSelector(selector.pod, podEndpointLabels(pod));
}

/** Whether the split selector's namespace requirements match a namespace with the endpoint labels `namespace`. */
export function reachesNamespace(selector: SplitSelector, namespace: Record<string, string>): boolean {
  return matchesSelector(selector.namespace, namespace);
}

/** Whether the split selector has no requirement on the pod (it selects every pod of the namespaces it matches). */
export function everyPodOf(selector: SplitSelector): boolean {
  return selectsEverything(selector.pod);
}

/**
 * Why `selector` is not a valid Cilium selector, or `undefined`: LabelSelector's rules on the keys without their
 * source prefix (`k8s:io.kubernetes.pod.namespace` is the valid key `io.kubernetes.pod.namespace` of source `k8s`).
 */
export function ciliumSelectorProblem(selector: unknown): string | undefined {
  if (typeof selector !== 'object' || selector === null || Array.isArray(selector)) return selectorProblem(selector);
  const { matchLabels, matchExpressions } = selector as Record<string, unknown>;
  const labels =
    typeof matchLabels === 'object' && matchLabels !== null && !Array.isArray(matchLabels)
      ? Object.fromEntries(Object.entries(matchLabels).map(([key, value]) => [unprefixed(key), value]))
      : matchLabels;
  const expressions = Array.isArray(matchExpressions)
    ? matchExpressions.map((requirement: unknown) =>
        typeof requirement === 'object' && requirement !== null && typeof (requirement as { key?: unknown }).key === 'string'
          ? { ...requirement, key: unprefixed((requirement as { key: string }).key) }
          : requirement,
      )
    : matchExpressions;
  return selectorProblem({ ...selector, matchLabels: labels, matchExpressions: expressions });
}
