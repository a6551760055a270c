/**
 * Sorting the documents of `kubectl get` output into an inventory: every object goes to the bucket of its (API group,
 * kind) row in the kinds table (audit/kinds.ts), is validated there (object-problems.ts), or is left out. An object
 * of an API the audit does not model but that may filter traffic (a CiliumNetworkPolicy, Calico's
 * `projectcalico.org/v3` NetworkPolicy) is never read as another kind: it is counted, and named in one warning per
 * (group, kind). Discovery documents and CustomResourceDefinitions are not objects of the audit: they feed the facts
 * about which APIs the cluster serves (api-discovery.ts).
 */
import { apiVersionOf, groupOf, KINDS, kindOf, mayFilterTraffic, type KindRow } from '../audit/kinds.js';
import type { KubeObject, SkippedObject } from '../audit/snapshot.js';
import { ApiDiscovery, DISCOVERY_KINDS } from './api-discovery.js';
import type { InputPart, ListHeader } from './documents.js';
import { clipped, InputError } from './input-error.js';
import type { InventoryBuilder } from './kube-objects.js';
import { isRecord, objectProblem } from './object-problems.js';
import { POLICY_APIS } from '../audit/isolation/apis.js';

/** Objects of one (group, kind) the audit does not model, and where the first one was. */
interface Unmodeled {
  apiVersion: string;
  kind: string;
  count: number;
  firstPlace: string;
}

/**
 * Sorts documents into `inventory`, warning through `warn` about each skipped object. After the last document,
 * {@link warnUnmodeled} names the unmodeled APIs met, and {@link discovery} holds the served-API facts found.
 */
export class KubeInputSorter {
  /** The served-API facts of the documents sorted so far. */
  readonly discovery = new ApiDiscovery();
  private readonly unmodeled = new Map<string, Unmodeled>();

  constructor(
    private readonly inventory: InventoryBuilder,
    private readonly warn: (message: string) => void,
  ) {}

  /**
   * Sorts one document of `file` at `location` (`''` for a file's only document): a list (its items, which may
   * themselves be typed lists, as a capture writes them), a discovery document, or one object. Throws
   * {@link InputError} for a document that is not Kubernetes output at all.
   */
  addDocument(file: string, location: string, document: unknown): void {
    if (!isRecord(document)) throw new InputError(file, `${location || 'document'} is not a Kubernetes object or List`);
    if (this.addList(file, location, document) || this.addDiscovery(document)) return;
    if (typeof document.kind !== 'string') {
      throw new InputError(file, `${location || 'document'} is not \`kubectl get\` output (no kind and no items)`);
    }
    this.addObject(file, location || 'object', document, undefined);
  }

  /**
   * Sorts one part of an input (see {@link inputParts}): a whole document, or an item of a streamed list and then the
   * list's end, sorted exactly as the same list read whole.
   */
  addPart(file: string, part: InputPart): void {
    switch (part.type) {
      case 'document':
        this.addDocument(file, part.location, part.value);
        return;
      case 'item':
        this.addListItem(file, `items[${part.index}]`, part.value, listItemType(part.list));
        return;
      case 'list': {
        const type = listItemType(part.list);
        if (type !== undefined) this.markListRead(type.apiVersion, type.kind);
      }
    }
  }

  /** One warning per (group, kind) of unmodeled objects met, with how many were ignored and where the first was. */
  warnUnmodeled(): void {
    for (const { apiVersion, kind, count, firstPlace } of this.unmodeled.values()) {
      const objects = `${count} object${count === 1 ? '' : 's'}`;
      this.warn(
        `${clipped(kind)} (${clipped(apiVersion)}) is an API the audit does not model: ${objects} ignored, first at ${firstPlace}; ` +
          'whatever they allow or deny is not part of the verdicts',
      );
    }
  }

  /** Sorts a list's items; false when `document` is not a list. */
  private addList(file: string, location: string, document: Record<string, unknown>): boolean {
    const kind = document.kind;
    if (!Array.isArray(document.items) || !(kind === undefined || (typeof kind === 'string' && kind.endsWith('List')))) return false;
    const type = listItemType(document);
    if (type !== undefined) this.markListRead(type.apiVersion, type.kind);
    const prefix = `${location ? `${location}.` : ''}items`;
    document.items.forEach((item, index) => this.addListItem(file, `${prefix}[${index}]`, item, type));
    return true;
  }

  /** One item of a list, at `place`: itself a list or a discovery document (as captures nest them), or an object. */
  private addListItem(file: string, place: string, item: unknown, type: { apiVersion?: string; kind: string } | undefined): void {
    if (isRecord(item) && (this.addList(file, place, item) || this.addDiscovery(item))) return;
    this.addObject(file, place, item, type);
  }

  /** An empty typed list still says its kind was read. */
  private markListRead(apiVersion: string | undefined, kind: string): void {
    if (kind === DISCOVERY_KINDS.crd && apiVersion !== undefined && groupOf(apiVersion) === DISCOVERY_KINDS.crdGroup) {
      this.discovery.markCrdsRead();
      return;
    }
    const spec = kindOf(apiVersion, kind);
    if (spec) this.inventory.markRead(spec.bucket);
  }

  /** Takes a discovery document (`APIGroupList`, `APIResourceList`); false when `document` is none. */
  private addDiscovery(document: Record<string, unknown>): boolean {
    if (document.kind === DISCOVERY_KINDS.groupList) return this.discovery.addGroupList(document);
    if (document.kind === DISCOVERY_KINDS.resourceList) return this.discovery.addResourceList(document);
    return false;
  }

  private addObject(file: string, location: string, item: unknown, list: { apiVersion?: string; kind: string } | undefined): void {
    const object = isRecord(item) ? item : undefined;
    const kind = typeof object?.kind === 'string' ? object.kind : list?.kind;
    const apiVersion = typeof object?.apiVersion === 'string' ? object.apiVersion : list?.apiVersion;
    const place = `${file}: ${location}`;
    if (!object || kind === undefined) {
      this.skip({ place, object: objectLabel(object, kind), reason: object ? 'kind is missing' : 'not an object' });
      return;
    }
    if (kind === DISCOVERY_KINDS.crd && apiVersion !== undefined && groupOf(apiVersion) === DISCOVERY_KINDS.crdGroup) {
      if (!this.discovery.addCrd(object)) {
        this.skip({ place, object: objectLabel(object, kind), reason: 'spec.group, spec.names.plural or spec.versions is missing' });
      }
      return;
    }
    if (apiVersion === undefined && mayFilterTraffic(apiVersion, kind)) {
      this.skip({ place, object: objectLabel(object, kind), reason: 'apiVersion is missing, so the API of its kind is not known' });
      return;
    }
    const spec = kindOf(apiVersion, kind);
    if (!spec) {
      // Captures may hold kinds the audit does not read (Deployments, Services, …): they are simply not part of it.
      if (mayFilterTraffic(apiVersion, kind)) this.countUnmodeled(apiVersion ?? 'no apiVersion', kind, place);
      return;
    }
    this.inventory.markRead(spec.bucket);
    const problem = objectProblem(spec, object);
    if (problem) {
      this.skip({ place, object: objectLabel(object, kind), reason: problem });
      return;
    }
    const readable = withIdentity(object as unknown as KubeObject, spec, apiVersion);
    const unreadable = POLICY_APIS.find((api) => api.bucket === spec.bucket)?.loadWarning?.(readable as never);
    if (unreadable !== undefined) this.warn(`${place} (${objectLabel(object, kind)}): ${unreadable}; the audit is incomplete`);
    const { conflict } = this.inventory.add(spec.bucket, readable, place);
    if (conflict) {
      const kept = conflict.kept === 'later' ? place : conflict.earlier;
      this.warn(`${place} (${objectLabel(object, kind)}): differs from the copy at ${conflict.earlier}; kept the copy at ${kept} (${conflict.why})`);
    }
  }

  /** An object that cannot be read is skipped, with a warning, and recorded: the audit is then incomplete, never clean. */
  private skip(skipped: SkippedObject): void {
    this.warn(skippedWarning(skipped));
    this.inventory.skip(skipped);
  }

  private countUnmodeled(apiVersion: string, kind: string, place: string): void {
    const key = `${groupOf(apiVersion)}/${kind}`;
    const seen = this.unmodeled.get(key);
    if (seen) seen.count += 1;
    else this.unmodeled.set(key, { apiVersion, kind, count: 1, firstPlace: place });
  }
}

/**
 * The kind and API version a typed list (`PodList`, as the API returns it: `kubectl get --raw /api/v1/pods`) gives
 * its items, which they leave out; `undefined` for an untyped `List`, whose items name their own.
 */
function listItemType(list: ListHeader): { apiVersion?: string; kind: string } | undefined {
  const kind = list.kind;
  if (typeof kind !== 'string' || kind === 'List' || !kind.endsWith('List')) return undefined;
  const itemKind = kind.slice(0, -'List'.length);
  return { apiVersion: typedListVersion(list.apiVersion, itemKind), kind: itemKind };
}

/**
 * The API version of a typed list's items. Lists written by hand (or by old tools) may say `apiVersion: v1`, the
 * version of kubectl's untyped `List`, for a kind of another group (`DaemonSetList`); for a built-in kind whose name
 * only one row has, that can mean nothing else, so its items are read at that row's version. A CRD kind is never
 * guessed from its name alone: a group that is not written stays unknown.
 */
function typedListVersion(apiVersion: unknown, itemKind: string): string | undefined {
  if (typeof apiVersion !== 'string') return undefined;
  if (apiVersion !== 'v1' || kindOf(apiVersion, itemKind)) return apiVersion;
  const rows = KINDS.filter((spec) => spec.builtIn && spec.kind === itemKind);
  return rows.length === 1 && rows[0] ? apiVersionOf(rows[0]) : apiVersion;
}

/** Items of a typed list leave out `kind` and `apiVersion`; the copy the inventory keeps carries both. */
function withIdentity(object: KubeObject, spec: KindRow, apiVersion: string | undefined): KubeObject {
  return object.kind === spec.kind && object.apiVersion === apiVersion ? object : { ...object, apiVersion, kind: spec.kind };
}

/**
 * The warning for an object skipped as unreadable, offline and live alike: `cluster.json: items[4] (Pod shop/a):
 * metadata is not an object; skipped`.
 */
export function skippedWarning(skipped: SkippedObject): string {
  return `${skipped.place} (${skipped.object}): ${skipped.reason}; skipped`;
}

/** `Kind namespace/name` for warnings, with a long or missing name shown as such. */
export function objectLabel(object: Record<string, unknown> | undefined, kind: string | undefined): string {
  const metadata = isRecord(object?.metadata) ? object.metadata : {};
  const name = typeof metadata.name === 'string' && metadata.name !== '' ? clipped(metadata.name) : 'no name';
  const namespace = typeof metadata.namespace === 'string' && metadata.namespace !== '' ? `${clipped(metadata.namespace)}/` : '';
  return `${kind ? clipped(kind) : 'no kind'} ${namespace}${name}`;
}
