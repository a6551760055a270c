/**
 * Helpers on Kubernetes objects of any kind: their namespace, a namespace index, and the labels a namespace selector
 * sees. Every part of the audit that groups or matches objects by namespace uses these, so the rule is stated once.
 */
import type { KubeObject, Namespace } from './snapshot.js';

/** The namespace of a namespaced object; Kubernetes puts objects without one in `default`. */
export function namespaceOf(object: KubeObject): string {
  return object.metadata.namespace ?? 'default';
}

/**
 * Groups objects by namespace, keeping their order. This index is what keeps evaluation linear: a policy is only ever
 * matched against the pods of its own namespace, never against every pod of the cluster.
 */
export function byNamespace<T extends KubeObject>(objects: readonly T[]): Map<string, T[]> {
  const index = new Map<string, T[]>();
  for (const object of objects) {
    const namespace = namespaceOf(object);
    const group = index.get(namespace);
    if (group) group.push(object);
    else index.set(namespace, [object]);
  }
  return index;
}

/** The label the API server puts on every namespace (since Kubernetes 1.21), holding its name. */
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/**
 * The labels a namespace selector is matched against: the Namespace's own labels and `kubernetes.io/metadata.name`,
 * which the API server always sets. For a namespace whose object was not read, only that name label is known.
 */
export function namespaceLabels(name: string, namespace: Namespace | undefined): Record<string, string> {
  return { ...namespace?.metadata.labels, [NAMESPACE_NAME_LABEL]: name };
}
