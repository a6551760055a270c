/**
 * Plain-record helpers shared by collection and the audit: both build records from optional fields, and a field that
 * was not observed must be absent rather than present as `undefined` (JSON output and `toEqual` comparisons see it).
 */

/** `value` without its `undefined` members, e.g. evidence holding only what was observed. */
export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
