/**
 * Sorting Kubernetes objects into a {@link KubeInventory}: what is kept of each object, and which kinds were read at
 * all. Which kinds the audit reads, and which bucket each goes to, is the kinds table (audit/kinds.ts). Shared by
 * offline loading and live collection, so both build the same snapshot from the same objects.
 */
import { KINDS, type KindBucket } from '../audit/kinds.js';
import type { ConfigMap, KubeInventory, KubeObject, SkippedObject } from '../audit/snapshot.js';
import { preferredCopy, sameContent } from './object-copies.js';

/** A ConfigMap by namespace and name, as the API fetches it. */
export interface ConfigMapRef {
  namespace: string;
  name: string;
}

/**
 * The ConfigMaps engine detection reads: the VPC CNI's, and Cilium's in both install places. Live collection fetches
 * exactly these by name, and loading keeps the data of exactly these, so the two can never disagree.
 */
export const ENGINE_CONFIG_MAP_REFS: readonly ConfigMapRef[] = [
  { namespace: 'kube-system', name: 'amazon-vpc-cni' },
  { namespace: 'kube-system', name: 'cilium-config' },
  { namespace: 'cilium', name: 'cilium-config' },
];

/** True for a ConfigMap engine detection needs; the data of all others is dropped on reading. */
export function isEngineConfigMap(metadata: { namespace?: string; name: string }): boolean {
  return ENGINE_CONFIG_MAP_REFS.some((ref) => ref.namespace === metadata.namespace && ref.name === metadata.name);
}

/**
 * What the snapshot keeps of `object`, an object of `bucket`. ConfigMaps can hold credentials and other sensitive
 * configuration, so all but the engine ones are reduced to their identity (their annotations can repeat the data in
 * `last-applied-configuration`); every other object is kept as read.
 */
export function retainedObject(bucket: KindBucket, object: KubeObject): KubeObject {
  if (bucket !== 'configMaps') return object;
  const configMap = object as ConfigMap;
  const { name, namespace, uid } = configMap.metadata;
  const identity: ConfigMap = { apiVersion: configMap.apiVersion, kind: 'ConfigMap', metadata: { name, namespace, uid } };
  if (isEngineConfigMap(configMap.metadata)) identity.data = configMap.data;
  return identity;
}

/** What became of an added object: `added` false for a repeat; `conflict` when it differs from the copy met first. */
export interface AddOutcome {
  added: boolean;
  /** Two different copies of one object: `earlier` is where the first one was found, `kept` which copy stays and why. */
  conflict?: { earlier?: string; kept: 'earlier' | 'later'; why: string };
}

/**
 * Collects objects into inventory buckets. A bucket exists once its kind is known to be read (an object of it was
 * added, or {@link markRead} said a list of it was read, even empty); kinds never read stay `undefined`, which is
 * what makes checks answer UNKNOWN instead of FAIL. Objects that could not be read are recorded as skipped, so the
 * audit knows it is incomplete.
 */
export class InventoryBuilder {
  private readonly buckets: Partial<Record<KindBucket, KubeObject[]>> = {};
  private readonly entries = new Map<string, { index: number; place?: string }>();
  private readonly skips: SkippedObject[] = [];

  /** Records that the kind of `bucket` was read, even if no object of it follows. */
  markRead(bucket: KindBucket): void {
    this.buckets[bucket] ??= [];
  }

  /** True when the kind of `bucket` was read. */
  isRead(bucket: KindBucket): boolean {
    return this.buckets[bucket] !== undefined;
  }

  /**
   * Adds an object of `bucket` found at `place` (see {@link retainedObject} for what is kept). The same object met
   * twice with the same content (the same file given twice) is kept once; a different copy of it replaces the first
   * only when {@link preferredCopy} prefers it, and the outcome names both copies for a warning.
   */
  add(bucketName: KindBucket, object: KubeObject, place?: string): AddOutcome {
    // The bucket is the object's (group, kind): one row of the kinds table.
    const identity = JSON.stringify([bucketName, object.metadata.namespace ?? '', object.metadata.name]);
    this.markRead(bucketName);
    const bucket = this.buckets[bucketName] as KubeObject[];
    const retained = retainedObject(bucketName, object);
    const entry = this.entries.get(identity);
    if (!entry) {
      this.entries.set(identity, { index: bucket.length, ...(place === undefined ? {} : { place }) });
      bucket.push(retained);
      return { added: true };
    }
    const earlier = bucket[entry.index] as KubeObject;
    if (sameContent(earlier, retained)) return { added: false };
    const choice = preferredCopy(earlier, retained);
    const conflict = { ...(entry.place === undefined ? {} : { earlier: entry.place }), kept: choice.keep, why: choice.why };
    if (choice.keep === 'earlier') return { added: false, conflict };
    bucket[entry.index] = retained;
    this.entries.set(identity, { index: entry.index, ...(place === undefined ? {} : { place }) });
    return { added: true, conflict };
  }

  /** Records an object that could not be read: the snapshot lists it, and the audit is incomplete. */
  skip(skipped: SkippedObject): void {
    this.skips.push(skipped);
  }

  /** The objects skipped so far, in the order they were met. */
  skipped(): SkippedObject[] {
    return [...this.skips];
  }

  /** The inventory: one array per read kind, `undefined` for the others. */
  build(): KubeInventory {
    const inventory: Record<string, KubeObject[]> = {};
    for (const { bucket } of KINDS) {
      const objects = this.buckets[bucket];
      if (objects) inventory[bucket] = objects;
    }
    return inventory as KubeInventory;
  }
}
