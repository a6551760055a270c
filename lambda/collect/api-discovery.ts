/**
 * Which APIs a cluster serves, from what the cluster says about itself: API discovery (`/apis` answers an
 * `APIGroupList`, `/apis/<group>/<version>` an `APIResourceList`) or its CustomResourceDefinitions. Live collection
 * reads discovery; offline, a capture may carry the same documents (`eks-netpol-auditor capture` writes them,
 * `kubectl get crd -o json` gives the CRDs). For each CRD-backed row of the kinds table the answer is the version to
 * read it at, "not served" (the API is not installed: its bucket is `[]`, never UNKNOWN), or "not known".
 */
import { KINDS, type KindSpec } from '../audit/kinds.js';
import type { ServedKinds } from '../audit/snapshot.js';
import { isRecord } from './object-problems.js';

/** The API group of CustomResourceDefinitions, and the kinds discovery answers with. */
export const DISCOVERY_KINDS = {
  groupList: 'APIGroupList',
  resourceList: 'APIResourceList',
  crd: 'CustomResourceDefinition',
  crdGroup: 'apiextensions.k8s.io',
} as const;

interface Crd {
  group: string;
  plural: string;
  /** The versions the CRD serves. */
  versions: ReadonlySet<string>;
}

/**
 * Facts about served APIs, gathered from any number of discovery documents and CRDs. Each kind of fact is
 * authoritative only for what it covers: the CRD list (once read) for every CRD, a group list for which group
 * versions exist, a resource list for the resources of its one group version.
 */
export class ApiDiscovery {
  private groups: Map<string, Set<string>> | undefined;
  private readonly resources = new Map<string, Set<string>>();
  private crds: Crd[] | undefined;

  /** True once any fact was added. */
  get known(): boolean {
    return this.groups !== undefined || this.resources.size > 0 || this.crds !== undefined;
  }

  /** Adds an `APIGroupList` (`/apis`); returns false, adding nothing, when it does not have that shape. */
  addGroupList(document: Record<string, unknown>): boolean {
    if (!Array.isArray(document.groups)) return false;
    const groups = (this.groups ??= new Map());
    for (const group of document.groups) {
      if (!isRecord(group) || typeof group.name !== 'string' || !Array.isArray(group.versions)) return false;
      const versions = groups.get(group.name) ?? new Set<string>();
      for (const entry of group.versions) if (isRecord(entry) && typeof entry.version === 'string') versions.add(entry.version);
      groups.set(group.name, versions);
    }
    return true;
  }

  /** Adds an `APIResourceList` (`/apis/<group>/<version>`); returns false when it does not have that shape. */
  addResourceList(document: Record<string, unknown>): boolean {
    if (typeof document.groupVersion !== 'string' || !Array.isArray(document.resources)) return false;
    const names = this.resources.get(document.groupVersion) ?? new Set<string>();
    for (const resource of document.resources) if (isRecord(resource) && typeof resource.name === 'string') names.add(resource.name);
    this.resources.set(document.groupVersion, names);
    return true;
  }

  /** True when an added group list names `groupVersion` (`networking.k8s.aws/v1alpha1`). */
  offersGroupVersion(groupVersion: string): boolean {
    const slash = groupVersion.indexOf('/');
    return this.groups?.get(groupVersion.slice(0, slash))?.has(groupVersion.slice(slash + 1)) ?? false;
  }

  /** Records that the cluster's CRDs were read (a CRD list, even empty): a CRD not added is not installed. */
  markCrdsRead(): void {
    this.crds ??= [];
  }

  /** Adds one CustomResourceDefinition; returns false when it lacks `spec.group`, `spec.names.plural` or `spec.versions`. */
  addCrd(object: Record<string, unknown>): boolean {
    const spec = isRecord(object.spec) ? object.spec : undefined;
    const plural = isRecord(spec?.names) ? spec.names.plural : undefined;
    if (typeof spec?.group !== 'string' || typeof plural !== 'string' || !Array.isArray(spec.versions)) return false;
    const versions = new Set<string>();
    for (const version of spec.versions) {
      if (isRecord(version) && typeof version.name === 'string' && version.served !== false) versions.add(version.name);
    }
    this.markCrdsRead();
    this.crds?.push({ group: spec.group, plural, versions });
    return true;
  }

  /**
   * The version to read `spec` at (the first of its versions the cluster serves), `null` when the cluster serves
   * none of them, or `undefined` when the facts do not tell. Built-in kinds are always served at their first version.
   */
  servedVersion(spec: KindSpec): string | null | undefined {
    if (spec.builtIn) return spec.versions[0];
    let allAbsent = true;
    for (const version of spec.versions) {
      const answer = this.serves(spec, version);
      if (answer === true) return version;
      if (answer === undefined) allAbsent = false;
    }
    return allAbsent ? null : undefined;
  }

  /** What the facts say about every CRD-backed row, leaving out the rows they do not tell about. */
  servedKinds(): ServedKinds {
    const served: ServedKinds = {};
    for (const spec of KINDS) {
      const version = spec.builtIn ? undefined : this.servedVersion(spec);
      if (version !== undefined) served[spec.bucket] = version !== null;
    }
    return served;
  }

  private serves(spec: KindSpec, version: string): boolean | undefined {
    const crd = this.crds?.find((candidate) => candidate.group === spec.group && candidate.plural === spec.plural);
    if (crd?.versions.has(version)) return true;
    const resources = this.resources.get(`${spec.group}/${version}`);
    if (resources?.has(spec.plural)) return true;
    if (this.crds !== undefined || resources !== undefined) return false;
    if (this.groups !== undefined && !this.groups.get(spec.group)?.has(version)) return false;
    return undefined;
  }
}
