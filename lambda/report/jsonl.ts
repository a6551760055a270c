/**
 * The findings store's objects: which objects a set of findings makes (one per cluster per run, at the key
 * `store-layout.ts` fixes) and their bytes (gzipped JSON Lines). Both the S3 store and the `--output DIR` folder write
 * exactly these objects, so Athena and DuckDB read either one the same way.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Finding } from '../audit/finding.js';
import { redact } from '../secrets.js';
import { findingsObjectKey } from './store-layout.js';

/**
 * Gzip of JSON Lines: one finding per line, each ending in a newline (the Hive JSON SerDe reads a record a line),
 * redacted: a stored object never holds a credential in use.
 */
export function encodeFindings(findings: Finding[]): Buffer {
  return gzipSync(findings.map((finding) => `${redact(JSON.stringify(finding))}\n`).join(''));
}

/** The findings of one stored object; throws naming the line when a line is not a JSON object. */
export function decodeFindings(buffer: Buffer): Finding[] {
  return gunzipSync(buffer)
    .toString('utf8')
    .split('\n')
    .flatMap((line, index) => {
      if (line.trim() === '') return [];
      let record: unknown;
      try {
        record = JSON.parse(line);
      } catch {
        throw new Error(`line ${index + 1} of the findings is not JSON`);
      }
      if (typeof record !== 'object' || record === null || Array.isArray(record)) {
        throw new Error(`line ${index + 1} of the findings is not a JSON object`);
      }
      return [record as Finding];
    });
}

/** One object of the store: its key (relative path) and its gzipped JSON Lines. */
export interface FindingsObject {
  key: string;
  body: Buffer;
  /** How many findings the object holds. */
  count: number;
}

/**
 * Groups findings by run and cluster (account, region and name: EKS names are unique only within an account and
 * region) and encodes each group as one object under `prefix`, filed under the date of `runTime` when the run has a
 * fixed one (a scheduled run: its event's time, the same on every retry, whatever the clock says when the retry
 * runs), else of the run's observation. Deterministic: the same findings always give the same keys, so a retried run
 * overwrites its objects. Throws naming the finding when `observed_at` is not a date.
 */
export function findingsObjects(prefix: string, findings: Finding[], runTime?: Date): FindingsObject[] {
  const groups = new Map<string, Finding[]>();
  for (const finding of findings) {
    const group = JSON.stringify([finding.run_id, finding.cluster.account_id, finding.cluster.region, finding.cluster.name]);
    const members = groups.get(group);
    if (members) members.push(finding);
    else groups.set(group, [finding]);
  }
  return [...groups.values()].map((members) => {
    const first = members[0] as Finding;
    const key = findingsObjectKey(prefix, runTime ?? runObservedAt(members), first.run_id, first.cluster);
    return { key, body: encodeFindings(members), count: members.length };
  });
}

/** The run's observation time: the earliest `observed_at` of its findings (one run shares one time). */
function runObservedAt(findings: Finding[]): Date {
  let earliest: Date | undefined;
  for (const finding of findings) {
    const observedAt = new Date(finding.observed_at);
    if (Number.isNaN(observedAt.getTime())) {
      const id = finding.finding_id;
      throw new Error(`finding ${id} has observed_at "${finding.observed_at}", which is not an ISO-8601 date`);
    }
    if (!earliest || observedAt < earliest) earliest = observedAt;
  }
  return earliest as Date;
}
