/**
 * The labels Calico evaluates selectors against, besides the object's own (docs.tigera.io "Calico automatic labels";
 * POLICY-APIS.md §4.1): a pod's endpoint carries `projectcalico.org/namespace`, `projectcalico.org/orchestrator` and
 * `projectcalico.org/serviceaccount`, and inherits its namespace's labels as `pcns.<key>` (and the service account's
 * name as `pcsa.projectcalico.org/name`) from the profiles Calico makes of them; a namespace is matched by
 * `namespaceSelector` with `projectcalico.org/name` added.
 */
import type { Pod } from '../snapshot.js';

const NAME = 'projectcalico.org/name';
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
const NAMESPACE_PREFIX = 'pcns.';

/** The labels a Calico `selector` sees on `pod`, whose namespace has `namespaceLabels` (`kubernetes.io/metadata.name` included). */
export function endpointLabels(pod: Pod, namespaceLabels: Readonly<Record<string, string>>): Record<string, string> {
  const namespace = pod.metadata.namespace ?? '';
  const serviceAccount = pod.spec?.serviceAccountName ?? 'default';
  // Inherited profile labels come first: the endpoint's own labels win over them, Calico's implicit ones over both.
  const inherited = Object.fromEntries(Object.entries(namespaceLabels).map(([key, value]) => [`${NAMESPACE_PREFIX}${key}`, value]));
  return {
    ...inherited,
    [`${NAMESPACE_PREFIX}${NAME}`]: namespace,
    [`pcsa.${NAME}`]: serviceAccount,
    ...pod.metadata.labels,
    'projectcalico.org/namespace': namespace,
    'projectcalico.org/orchestrator': 'k8s',
    'projectcalico.org/serviceaccount': serviceAccount,
  };
}

/** The labels a Calico `namespaceSelector` sees on a namespace: its own, and `projectcalico.org/name`. */
export function namespaceSelectorLabels(namespaceLabels: Readonly<Record<string, string>>): Record<string, string> {
  return { ...namespaceLabels, [NAME]: namespaceLabels[NAMESPACE_NAME_LABEL] ?? '' };
}

/** The labels a `serviceAccountSelector` sees: only `projectcalico.org/name`, since ServiceAccounts are not read. */
export function serviceAccountLabels(pod: Pod): Record<string, string> {
  return { [NAME]: pod.spec?.serviceAccountName ?? 'default' };
}

/** The one ServiceAccount label the audit knows without reading ServiceAccounts. */
export const SERVICE_ACCOUNT_NAME_LABEL = NAME;
