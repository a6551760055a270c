/**
 * Workloads: the top-level controller of each running pod, resolved through ownerReferences (Pod → ReplicaSet →
 * Deployment, Pod → Job → CronJob, Pod → StatefulSet/DaemonSet), so findings name what a user deploys, not pods.
 */
import { namespaceOf } from './objects.js';
import type { KubeInventory, KubeObject, OwnerReference, Pod } from './snapshot.js';

/** Pods that are finished are not running: they take no traffic and are ignored everywhere. */
export function isRunning(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed';
}

/** Host-network pods share the node's network namespace: no NetworkPolicy applies to them. */
export function usesHostNetwork(pod: Pod): boolean {
  return pod.spec?.hostNetwork === true;
}

/** A workload and its running pods (host-network pods included), in one namespace. */
export interface Workload {
  kind: string;
  namespace: string;
  name: string;
  pods: Pod[];
  /** Why resolution stopped below the top-level controller for some pods (e.g. ReplicaSets were not read). */
  resolutionNotes: string[];
}

// Owners that are themselves owned, with the inventory kind that tells their owner. Other owners (Deployment,
// StatefulSet, DaemonSet, CronJob, or a custom controller) are taken as the top level.
const INTERMEDIATE_OWNERS: ReadonlyMap<string, { inventory: 'replicaSets' | 'jobs'; plural: string }> = new Map([
  ['ReplicaSet', { inventory: 'replicaSets', plural: 'ReplicaSets' }],
  ['Job', { inventory: 'jobs', plural: 'Jobs' }],
] as const);

/** The owner Kubernetes' garbage collector follows: the `controller: true` reference, else the first. */
function controllerOf(object: KubeObject): OwnerReference | undefined {
  const owners = object.metadata.ownerReferences ?? [];
  return owners.find((owner) => owner.controller === true) ?? owners[0];
}

function ownerKey(namespace: string, kind: string, name: string): string {
  return `${namespace}\u0000${kind}\u0000${name}`;
}

type Intermediates = Pick<KubeInventory, 'replicaSets' | 'jobs'>;

/** ReplicaSets and Jobs by namespace, kind and name; built once per audit. */
function indexIntermediates(inventory: Intermediates): Map<string, KubeObject> {
  const index = new Map<string, KubeObject>();
  for (const object of [...(inventory.replicaSets ?? []), ...(inventory.jobs ?? [])]) {
    index.set(ownerKey(namespaceOf(object), object.kind, object.metadata.name), object);
  }
  return index;
}

interface Resolution {
  kind: string;
  name: string;
  note?: string;
}

function resolve(pod: Pod, inventory: Intermediates, index: Map<string, KubeObject>): Resolution {
  const namespace = namespaceOf(pod);
  let current: Resolution = { kind: 'Pod', name: pod.metadata.name };
  // A static pod's mirror is "owned" by its Node: it has no controller, so it is its own workload.
  let owner = controllerOf(pod);
  if (owner?.kind === 'Node') return current;
  // Bounded walk: a malformed capture with an ownership cycle must not hang the audit.
  for (let depth = 0; owner !== undefined && depth < 8; depth += 1) {
    current = { kind: owner.kind, name: owner.name };
    const intermediate = INTERMEDIATE_OWNERS.get(owner.kind);
    if (intermediate === undefined) return current;
    if (inventory[intermediate.inventory] === undefined) {
      return { ...current, note: `${intermediate.plural} were not read: stopped at ${owner.kind} ${owner.name}` };
    }
    const object = index.get(ownerKey(namespace, owner.kind, owner.name));
    if (object === undefined) return { ...current, note: `${owner.kind} ${owner.name} is not in the input: stopped there` };
    owner = controllerOf(object);
  }
  return current;
}

/**
 * Groups `pods` into workloads by their top-level controller. Resolution goes through the ReplicaSets and Jobs of
 * `inventory`; when those were not read (or the owner is missing), it stops at the owner it knows and records why
 * in `resolutionNotes` rather than guessing a Deployment name from a pod-template hash.
 */
export function groupWorkloads(pods: readonly Pod[], inventory: Intermediates): Workload[] {
  const index = indexIntermediates(inventory);
  const workloads = new Map<string, Workload>();
  for (const pod of pods) {
    const namespace = namespaceOf(pod);
    const { kind, name, note } = resolve(pod, inventory, index);
    const key = ownerKey(namespace, kind, name);
    let workload = workloads.get(key);
    if (workload === undefined) {
      workload = { kind, namespace, name, pods: [], resolutionNotes: [] };
      workloads.set(key, workload);
    }
    workload.pods.push(pod);
    if (note !== undefined && !workload.resolutionNotes.includes(note)) workload.resolutionNotes.push(note);
  }
  return [...workloads.values()];
}

/** How messages name a workload: `Deployment shop/cart`. */
export function describeWorkload(workload: Pick<Workload, 'kind' | 'namespace' | 'name'>): string {
  return `${workload.kind} ${workload.namespace}/${workload.name}`;
}

/** The resource of a workload's findings. */
export function workloadResource(workload: Workload): { kind: string; namespace: string; name: string } {
  return { kind: workload.kind, namespace: workload.namespace, name: workload.name };
}

/**
 * The subject of a sentence about `count` of the `total` running pods of a workload, with its verb: `Pod shop/debug
 * is`, `The pod of Deployment shop/cart is`, `All 5 pods of … are`, `3 of 5 pods of … are`.
 */
export function podsOf(workload: Pick<Workload, 'kind' | 'namespace' | 'name'>, count: number, total: number): string {
  const subject = describeWorkload(workload);
  if (workload.kind === 'Pod') return `${subject} is`;
  if (total === 1) return `The pod of ${subject} is`;
  const verb = count === 1 ? 'is' : 'are';
  return count === total ? `All ${total} pods of ${subject} ${verb}` : `${count} of ${total} pods of ${subject} ${verb}`;
}
