/**
 * Two copies of one object (same API group, kind, namespace and name) met while loading: overlapping captures, the
 * same cluster captured twice. Identical copies are the same object; different ones must not be merged silently, so
 * this module decides which copy the audit keeps, and says why, in words a warning can carry.
 */
import type { KubeObject } from '../audit/snapshot.js';

/** Which copy to keep and why (`higher resourceVersion 120 > 98`, `the later one`). */
export interface CopyChoice {
  keep: 'earlier' | 'later';
  why: string;
}

/**
 * The copy to keep of two different copies: the one with the higher `resourceVersion` when both have one that is a
 * number (etcd's revision: the newer state of the object), else the later one (the last file given wins, as with
 * `kubectl apply` of several files).
 */
export function preferredCopy(earlier: KubeObject, later: KubeObject): CopyChoice {
  const [before, after] = [resourceVersion(earlier), resourceVersion(later)];
  if (before !== undefined && after !== undefined && before !== after) {
    return before > after
      ? { keep: 'earlier', why: `higher resourceVersion ${before} > ${after}` }
      : { keep: 'later', why: `higher resourceVersion ${after} > ${before}` };
  }
  return { keep: 'later', why: 'the later one: no higher resourceVersion tells them apart' };
}

/** True when two copies hold the same content, whatever the order of their keys (JSON and YAML captures differ). */
export function sameContent(left: KubeObject, right: KubeObject): boolean {
  return canonicalJson(left) === canonicalJson(right);
}

// resourceVersion is opaque to clients, but every API server backed by etcd sends the revision as decimal digits.
function resourceVersion(object: KubeObject): bigint | undefined {
  const value = (object.metadata as { resourceVersion?: unknown }).resourceVersion;
  return typeof value === 'string' && /^\d{1,30}$/.test(value) ? BigInt(value) : undefined;
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, member: unknown) =>
    member !== null && typeof member === 'object' && !Array.isArray(member)
      ? Object.fromEntries(Object.entries(member as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : member,
  );
}
