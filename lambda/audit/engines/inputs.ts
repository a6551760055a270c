/**
 * What engine detection was given to judge from: the in-cluster DaemonSets and ConfigMaps, and, when they are missing,
 * why. Every rule reads the snapshot through these accessors, so "not read" and "absent" are told apart one way only.
 */
import { namespaceOf } from '../objects.js';
import type {
  ClusterSnapshot,
  CollectionProblem,
  ConfigMap,
  Container,
  DaemonSet,
  InventoryKind,
} from '../snapshot.js';

/** Why some input is missing, as a verdict can say it. */
export interface MissingInput {
  reason: string;
  remediation: string;
}

/**
 * The DaemonSets read from the cluster, or why there are none to judge from. A `cluster` problem (API unreachable,
 * 401) wins over a per-kind problem; without any problem the DaemonSets were simply not part of the input (an offline
 * capture without them).
 */
export function inClusterDaemonSets(snapshot: ClusterSnapshot): DaemonSet[] | MissingInput {
  const clusterProblem = problemOf(snapshot, 'cluster');
  if (clusterProblem) {
    return {
      reason: `in-cluster objects were not read: ${clusterProblem.reason}`,
      remediation: clusterProblem.remediation ?? 'Make the Kubernetes API reachable to the auditor and audit again.',
    };
  }
  if (snapshot.kube.daemonSets !== undefined) return snapshot.kube.daemonSets;
  const problem = problemOf(snapshot, 'daemonSets');
  return {
    reason: problem ? `DaemonSets were not read: ${problem.reason}` : 'DaemonSets were not read',
    remediation:
      problem?.remediation ??
      'Include DaemonSets in the input (`kubectl get daemonsets -A -o json`); ' +
        'the live audit needs list access to daemonsets.',
  };
}

/**
 * Why the in-cluster objects engine detection needs are missing, or `undefined` when the DaemonSets were read (even
 * when there are none).
 */
export function daemonSetsUnread(snapshot: ClusterSnapshot): MissingInput | undefined {
  const daemonSets = inClusterDaemonSets(snapshot);
  return Array.isArray(daemonSets) ? undefined : daemonSets;
}

/**
 * True when the ConfigMaps were read. Not being in a read list is then a fact ("absent from the input"), not a gap;
 * the offline loader also counts them as read-and-empty when the capture holds Pods.
 */
export function configMapsRead(snapshot: ClusterSnapshot): boolean {
  return problemOf(snapshot, 'cluster') === undefined && snapshot.kube.configMaps !== undefined;
}

/** The ConfigMap `namespace/name` among those read, `undefined` when it is absent or ConfigMaps were not read. */
export function findConfigMap(snapshot: ClusterSnapshot, namespace: string, name: string): ConfigMap | undefined {
  return snapshot.kube.configMaps?.find((c) => c.metadata.namespace === namespace && c.metadata.name === name);
}

/** The first collection problem of `kind`, if any. */
export function problemOf(snapshot: ClusterSnapshot, kind: InventoryKind): CollectionProblem | undefined {
  return snapshot.problems.find((problem) => problem.kind === kind);
}

/** ` (why)` when collection reported a problem with `kind`, for "… was not read (why)"; empty otherwise. */
export function reasonSuffix(snapshot: ClusterSnapshot, kind: InventoryKind): string {
  const problem = problemOf(snapshot, kind);
  return problem ? ` (${problem.reason})` : '';
}

/** `namespace/name` of a DaemonSet, as messages and evidence name it. */
export function qualifiedName(object: DaemonSet): string {
  return `${namespaceOf(object)}/${object.metadata.name}`;
}

/** The containers of a DaemonSet's pod template. */
export function containersOf(daemonSet: DaemonSet): Container[] {
  return daemonSet.spec?.template?.spec?.containers ?? [];
}

/** True when the DaemonSet's pod template runs a container named `name`. */
export function runsContainer(daemonSet: DaemonSet, name: string): boolean {
  return containersOf(daemonSet).some((container) => container.name === name);
}
