/**
 * Suppressions: accepted risks, written down with a reason and an expiry. A file (YAML or JSON) holds a list of
 * entries `{check, cluster, namespace, kind, name, reason, expires}`; the first five are globs that must all match,
 * `reason` and `expires` are required. The first unexpired entry that matches a finding marks it with `suppression`:
 * its status stays, but a suppressed FAIL neither fails the run nor alerts. Entries are refused when they could hide
 * more than their author meant: no reason, no expiry, no selector at all, a misspelt field, or a check that is not one.
 */
import { CheckId, type Finding, type FindingSuppression, type SuppressionMatcher, type SuppressionSubject } from '../audit/finding.js';
import { readFile } from 'node:fs/promises';
import { parseDocuments } from '../collect/documents.js';
import { InputError, clipped } from '../collect/input-error.js';
import { readFailure } from '../collect/offline.js';
import { globPattern } from '../glob.js';
import { partitionDate } from '../report/store-layout.js';

/** The fields an entry may select on, each a glob over one field of the finding. */
export const SUPPRESSION_SELECTORS = ['check', 'cluster', 'namespace', 'kind', 'name'] as const;
export type SuppressionSelector = (typeof SUPPRESSION_SELECTORS)[number];

const FIELDS: readonly string[] = [...SUPPRESSION_SELECTORS, 'reason', 'expires'];

/** One validated entry of a suppressions file. */
export interface SuppressionEntry {
  /** `<source>#<position>` (1-based), the `entry` a suppressed finding names. */
  id: string;
  /** The entry as warnings name it: its id and its selectors. */
  label: string;
  selectors: Partial<Record<SuppressionSelector, string>>;
  reason: string;
  /** The last day (UTC) the entry applies, `YYYY-MM-DD`. */
  expires: string;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const CHECK_IDS: readonly string[] = Object.values(CheckId);

/**
 * The entries of a suppressions file: `text` is its content, `source` names it in every message and in each entry's
 * id. Throws {@link InputError} naming the file and the entry (its position and selectors) at the first problem.
 */
export function parseSuppressions(source: string, text: string): SuppressionEntry[] {
  const documents = parseDocuments(source, text);
  const [list] = documents;
  if (documents.length !== 1 || !Array.isArray(list)) {
    throw new InputError(source, 'expected one list of suppression entries (each with reason, expires and at least one of check, cluster, namespace, kind, name)');
  }
  return list.map((value, index) => parseEntry(source, index + 1, value));
}

/** The entries of the suppressions file at `path` (`--suppressions`, or the file bundled with the function). */
export async function readSuppressionsFile(path: string): Promise<SuppressionEntry[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new InputError(path, readFailure(error));
  }
  return parseSuppressions(path, text);
}

function parseEntry(source: string, position: number, value: unknown): SuppressionEntry {
  const id = `${source}#${position}`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError(source, `entry ${position}: expected an object with reason, expires and the fields it matches`);
  }
  const record = value as Record<string, unknown>;
  const selectors: Partial<Record<SuppressionSelector, string>> = {};
  for (const field of SUPPRESSION_SELECTORS) {
    if (typeof record[field] === 'string' && record[field] !== '') selectors[field] = record[field];
  }
  const label = `${id} (${describeSelectors(selectors)})`;
  const refuse = (problem: string) => new InputError(source, `entry ${position} (${describeSelectors(selectors)}): ${problem}`);
  const unknown = Object.keys(record).find((key) => !FIELDS.includes(key));
  if (unknown !== undefined) throw refuse(`unknown field "${clipped(unknown)}" (the fields are ${FIELDS.join(', ')})`);
  for (const field of SUPPRESSION_SELECTORS) {
    if (field in record && selectors[field] === undefined) throw refuse(`${field} must be a non-empty text (a glob)`);
  }
  if (Object.keys(selectors).length === 0) {
    throw refuse(`it names none of ${SUPPRESSION_SELECTORS.join(', ')}, so it would suppress every finding`);
  }
  if (selectors.check !== undefined && !CHECK_IDS.some((check) => globPattern(selectors.check as string).test(check))) {
    throw refuse(`check "${clipped(selectors.check)}" matches no check id (${CHECK_IDS.join(', ')})`);
  }
  const reason = typeof record.reason === 'string' ? record.reason.trim() : '';
  if (reason === '') throw refuse('no reason: say why the risk is accepted');
  const expires = record.expires;
  if (expires === undefined || expires === null || expires === '') throw refuse('no expires: give the last day it applies (YYYY-MM-DD)');
  if (typeof expires !== 'string' || !isCalendarDate(expires)) {
    throw refuse(`expires "${clipped(String(expires))}" is not a date (YYYY-MM-DD)`);
  }
  return { id, label, selectors, reason, expires };
}

function describeSelectors(selectors: Partial<Record<SuppressionSelector, string>>): string {
  const parts = SUPPRESSION_SELECTORS.filter((field) => selectors[field] !== undefined).map(
    (field) => `${field} ${clipped(selectors[field] as string, 60)}`,
  );
  return parts.length > 0 ? parts.join(', ') : 'no selector';
}

/** `YYYY-MM-DD` naming a day that exists (not 2026-02-30). */
function isCalendarDate(text: string): boolean {
  const parts = DATE.exec(text);
  if (!parts) return false;
  const [year, month, day] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** True when `entry` no longer applies on the UTC day of `at` (it applies through its `expires` day). */
export function isExpired(entry: SuppressionEntry, at: Date): boolean {
  return partitionDate(at) > entry.expires;
}

/** The value each selector is matched against; null where the resource lacks the field (a Namespace's namespace). */
function subjectField(subject: SuppressionSubject, field: SuppressionSelector): string | null {
  switch (field) {
    case 'check':
      return subject.checkId;
    case 'cluster':
      return subject.cluster;
    case 'namespace':
      return subject.resource.namespace;
    case 'kind':
      return subject.resource.kind;
    case 'name':
      return subject.resource.name;
  }
}

/**
 * The matcher the audit applies to every verdict of a run observed at `observedAt`: the suppression of the first
 * unexpired entry (in file order) whose selectors all match, else null.
 */
export function suppressionMatcher(entries: readonly SuppressionEntry[], observedAt: Date): SuppressionMatcher {
  const active = entries
    .filter((entry) => !isExpired(entry, observedAt))
    .map((entry) => ({
      entry,
      patterns: SUPPRESSION_SELECTORS.flatMap((field) => {
        const glob = entry.selectors[field];
        return glob === undefined ? [] : [[field, globPattern(glob)] as const];
      }),
    }));
  return (subject) => {
    for (const { entry, patterns } of active) {
      const matches = patterns.every(([field, pattern]) => {
        const value = subjectField(subject, field);
        return value !== null && pattern.test(value);
      });
      if (matches) return suppressionOf(entry);
    }
    return null;
  };
}

function suppressionOf(entry: SuppressionEntry): FindingSuppression {
  return { reason: entry.reason, expires: entry.expires, entry: entry.id };
}

/** The ids of the entries that suppressed at least one of `findings`. */
export function suppressionsUsed(findings: readonly Finding[]): string[] {
  return [...new Set(findings.flatMap((finding) => (finding.suppression ? [finding.suppression.entry] : [])))];
}

/**
 * The warnings a run owes the author of its suppressions: each expired entry (it no longer applies), and each
 * unexpired entry not among `used` (see {@link suppressionsUsed}): a typo, a fixed risk, or an entry shadowed by an
 * earlier one.
 */
export function suppressionWarnings(entries: readonly SuppressionEntry[], used: Iterable<string>, observedAt: Date): string[] {
  const matched = new Set(used);
  return entries.flatMap((entry) => {
    if (isExpired(entry, observedAt)) return [`suppression ${entry.label} expired on ${entry.expires} and no longer applies`];
    return matched.has(entry.id) ? [] : [`suppression ${entry.label} matched no finding`];
  });
}
