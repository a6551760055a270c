/**
 * The cluster cases of test/cases as data: where each case's input files are, which audit options it runs with, what
 * findings it expects, and how actual findings compare with them. Free of jest, so the offline runner
 * (test/cases.test.ts) and the live-audit tests serve and judge the very same cases. The format is documented in
 * test/cases/README.md.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_EXCLUDED_NAMESPACES, Status, type AuditOptions, type Finding, type FindingResource } from '../../lambda/audit/finding.js';

/** The folder that holds one sub-folder per case. */
export const CASES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'cases');

/** The run id of every case run: fixed, so a case yields the same findings on every run. */
export const CASE_RUN_ID = 'test-run';
/** The observation time of every case run: fixed for the same reason as {@link CASE_RUN_ID}. */
export const CASE_OBSERVED_AT = new Date('2025-06-02T06:00:00.000Z');

const EXPECTED_FILE = 'expected.json';
const OPTIONS_FILE = 'options.json';
const BASE_FILE = 'base.json';
/** Shared captures a case names in its base.json (the kube-system objects of an engine), one file each. */
export const BASES_DIR = join(CASES_DIR, '_base');
const EKS_CLUSTER_FILE = 'eks-cluster.json';
const ADDON_FILE = /^addon-.+\.json$/;
const KUBE_FILE = /\.(json|ya?ml)$/;

/** The input files of one case, in the shape the offline loader takes (`OfflineSources`). */
export interface CaseSources {
  /** `kubectl get … -o json|yaml` files, sorted by name: the first one names the cluster when there is no EKS view. */
  kube: string[];
  eksCluster?: string;
  eksAddons: string[];
}

/** One expected finding: the identity that must be present exactly once, plus optional checks on its content. */
export interface ExpectedFinding {
  check_id: string;
  status: Status;
  /** `Kind namespace/name`, or `Kind name` for resources without a namespace (`Cluster prod-eu`). */
  resource: string;
  /** A substring the finding's message must contain. */
  message_includes?: string;
  /** A subset of the finding's evidence that must match (objects by key, arrays element by element, values exactly). */
  evidence?: Record<string, unknown>;
  /** Evidence keys that must be present, whatever their value (for free-text evidence such as drift). */
  evidence_keys?: string[];
}

const EXPECTED_KEYS = new Set(['check_id', 'status', 'resource', 'message_includes', 'evidence', 'evidence_keys']);
const STATUSES = new Set<string>(Object.values(Status));
const RESOURCE = /^[A-Za-z]+ ([a-z0-9.-]+\/)?[A-Za-z0-9.:-]+$/;

/** The case folders (absolute paths, sorted by name): every sub-folder of test/cases holding an expected.json. */
export function listCases(): string[] {
  return readdirSync(CASES_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(CASES_DIR, entry.name, EXPECTED_FILE)))
    .map((entry) => join(CASES_DIR, entry.name))
    .sort();
}

/**
 * Sorts a case folder's files into the loader's sources: `eks-cluster.json`, `addon-*.json`, and the kube files, then
 * the shared captures its `base.json` names (`{"base": ["vpc-cni"]}` reads `_base/vpc-cni.json`), after the case's own
 * files so that the first of those still names the cluster.
 */
export function caseSources(dir: string): CaseSources {
  const files = readdirSync(dir).sort();
  const kube = files.filter(
    (file) => KUBE_FILE.test(file) && ![EXPECTED_FILE, OPTIONS_FILE, EKS_CLUSTER_FILE, BASE_FILE].includes(file) && !ADDON_FILE.test(file),
  );
  return {
    kube: [...kube.map((file) => join(dir, file)), ...baseCaptures(dir)],
    ...(files.includes(EKS_CLUSTER_FILE) ? { eksCluster: join(dir, EKS_CLUSTER_FILE) } : {}),
    eksAddons: files.filter((file) => ADDON_FILE.test(file)).map((file) => join(dir, file)),
  };
}

function baseCaptures(dir: string): string[] {
  const file = join(dir, BASE_FILE);
  if (!existsSync(file)) return [];
  const content = readJson(file);
  const names = isRecord(content) ? content.base : undefined;
  if (!Array.isArray(names) || !names.every((name) => typeof name === 'string' && existsSync(join(BASES_DIR, `${name}.json`)))) {
    throw new Error(`${file}: expected {"base": [<name of a file in test/cases/_base, without .json>, …]}`);
  }
  return names.map((name) => join(BASES_DIR, `${name}.json`));
}

/** The audit options of a case: the fixed run identity, and `options.json`'s excluded namespaces or the defaults. */
export function caseOptions(dir: string): AuditOptions {
  const file = join(dir, OPTIONS_FILE);
  const base = { runId: CASE_RUN_ID, observedAt: CASE_OBSERVED_AT };
  if (!existsSync(file)) return { ...base, excludedNamespaces: [...DEFAULT_EXCLUDED_NAMESPACES] };
  const options = readJson(file);
  const excluded = isRecord(options) ? options.excludedNamespaces : undefined;
  const onlyKnownKeys = isRecord(options) && Object.keys(options).every((key) => key === 'excludedNamespaces');
  if (!onlyKnownKeys || !Array.isArray(excluded) || !excluded.every((name) => typeof name === 'string')) {
    throw new Error(`${file}: expected {"excludedNamespaces": [<namespace>, …]}`);
  }
  return { ...base, excludedNamespaces: excluded };
}

/**
 * What a case expects: its findings, and the checks they are the complete findings of — every check (`checks`
 * absent: the file is a plain array, a complete end-to-end case) or only the checks the case is about.
 */
export interface CaseExpectation {
  /** The checks whose findings are compared; `undefined`: every check. */
  checks?: string[];
  findings: ExpectedFinding[];
}

/**
 * Reads and validates a case's expected.json: a JSON array of findings (complete: every check), or
 * `{"checks": [...], "findings": [...]}` (the complete findings of the listed checks only). A malformed entry is an
 * error naming the file and the entry.
 */
export function caseExpectation(dir: string): CaseExpectation {
  const file = join(dir, EXPECTED_FILE);
  const content = readJson(file);
  const scoped = isRecord(content);
  if (scoped && !(Object.keys(content).every((key) => key === 'checks' || key === 'findings') && Array.isArray(content.findings))) {
    throw new Error(`${file}: expected a JSON array of findings, or {"checks": [<check id>, …], "findings": [...]}`);
  }
  const listed: unknown = scoped ? content.checks : undefined;
  if (scoped && !(Array.isArray(listed) && listed.length > 0 && listed.every((id) => typeof id === 'string'))) {
    throw new Error(`${file}: "checks" must list the check ids the case is about`);
  }
  const checks = listed as string[] | undefined;
  const entries = scoped ? content.findings : content;
  if (!Array.isArray(entries)) throw new Error(`${file}: expected a JSON array of findings`);
  const findings = entries.map((entry, index) => {
    const problem = expectedEntryProblem(entry);
    if (problem) throw new Error(`${file}: [${index}] ${problem}`);
    return entry as ExpectedFinding;
  });
  const unlisted = findings.find((finding) => checks !== undefined && !checks.includes(finding.check_id));
  if (unlisted) throw new Error(`${file}: a finding of ${unlisted.check_id}, which "checks" does not list`);
  return { ...(checks ? { checks } : {}), findings };
}

/** The findings of `findings` that a case's expectation judges: all of them, or those of its listed checks. */
export function judgedFindings(expectation: CaseExpectation, findings: readonly Finding[]): Finding[] {
  const { checks } = expectation;
  return checks === undefined ? [...findings] : findings.filter((finding) => checks.includes(finding.check_id));
}

function expectedEntryProblem(entry: unknown): string | undefined {
  if (!isRecord(entry)) return 'is not an object';
  const unknownKey = Object.keys(entry).find((key) => !EXPECTED_KEYS.has(key));
  if (unknownKey) return `has unknown key "${unknownKey}"`;
  if (typeof entry.check_id !== 'string') return 'needs a check_id';
  if (typeof entry.status !== 'string' || !STATUSES.has(entry.status)) return `status must be one of ${[...STATUSES].join(', ')}`;
  if (typeof entry.resource !== 'string' || !RESOURCE.test(entry.resource)) return 'resource must read "Kind namespace/name" or "Kind name"';
  if (entry.message_includes !== undefined && typeof entry.message_includes !== 'string') return 'message_includes must be a string';
  if (entry.evidence !== undefined && !isRecord(entry.evidence)) return 'evidence must be an object';
  const keys = entry.evidence_keys;
  if (keys !== undefined && !(Array.isArray(keys) && keys.every((key) => typeof key === 'string'))) return 'evidence_keys must be a list of strings';
  return undefined;
}

/** How a resource is written in expected.json: `Kind namespace/name`, or `Kind name` without a namespace. */
export function resourceLabel(resource: FindingResource): string {
  return resource.namespace === null ? `${resource.kind} ${resource.name}` : `${resource.kind} ${resource.namespace}/${resource.name}`;
}

function identity(finding: { check_id: string; status: string; resource: string }): string {
  return `${finding.check_id} ${finding.status} ${finding.resource}`;
}

/**
 * Compares actual findings with a case's expectation and returns one readable line per difference (none when they
 * agree): `missing` and `extra` findings by (check_id, status, resource), counted as a multiset so a duplicate is an
 * extra, then the optional message and evidence expectations of the findings that are present.
 */
export function compareFindings(expected: readonly ExpectedFinding[], actual: readonly Finding[]): string[] {
  const unmatched = new Map<string, Finding[]>();
  for (const finding of actual) {
    const key = identity({ ...finding, resource: resourceLabel(finding.resource) });
    unmatched.set(key, [...(unmatched.get(key) ?? []), finding]);
  }
  const missing: string[] = [];
  const content: string[] = [];
  for (const want of expected) {
    const key = identity(want);
    const found = unmatched.get(key)?.shift();
    if (found) content.push(...contentProblems(key, want, found));
    else missing.push(`missing: ${key}`);
  }
  const extra = [...unmatched.entries()].flatMap(([key, findings]) => findings.map((finding) => `extra:   ${key} (${finding.message})`));
  return [...missing, ...extra, ...content];
}

function contentProblems(key: string, want: ExpectedFinding, found: Finding): string[] {
  const problems: string[] = [];
  if (want.message_includes !== undefined && !found.message.includes(want.message_includes)) {
    problems.push(`message: ${key} should include ${JSON.stringify(want.message_includes)} but reads ${JSON.stringify(found.message)}`);
  }
  if (want.evidence !== undefined && !matchesSubset(want.evidence, found.evidence)) {
    problems.push(`evidence: ${key} should match ${JSON.stringify(want.evidence)} but is ${JSON.stringify(found.evidence)}`);
  }
  const absent = (want.evidence_keys ?? []).filter((name) => found.evidence[name] === undefined);
  if (absent.length > 0) {
    problems.push(`evidence: ${key} lacks ${absent.join(', ')} in ${JSON.stringify(found.evidence)}`);
  }
  return problems;
}

/** Objects match when every expected key matches; arrays element by element with equal length; the rest exactly. */
function matchesSubset(expected: unknown, actual: unknown): boolean {
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((item, index) => matchesSubset(item, actual[index]));
  }
  if (isRecord(expected)) {
    return isRecord(actual) && Object.entries(expected).every(([key, value]) => matchesSubset(value, actual[key]));
  }
  return Object.is(expected, actual);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
