/**
 * The `audit` command: parse the flags, collect the snapshots, run the engine, print the findings, optionally write
 * them in the store layout, and answer with the exit status the DESIGN promises (0 clean, 1 a failure at or above
 * `--fail-on`, 2 bad usage or unreadable input, 3 incomplete: nothing failed, but some cluster's verdict is UNKNOWN). Problems are one line on stderr; findings are on stdout.
 */
import { stat } from 'node:fs/promises';
import { CheckId, DEFAULT_EXCLUDED_NAMESPACES, Status, atOrAbove, type Finding, type Severity } from '../lambda/audit/finding.js';
import { InputError } from '../lambda/collect/offline.js';
import { annotateRun, groupByCluster } from '../lambda/lifecycle/changes.js';
import { readSuppressionsFile, suppressionMatcher, suppressionWarnings, suppressionsUsed } from '../lambda/lifecycle/suppressions.js';
import { AsffError } from '../lambda/report/asff.js';
import { DEFAULT_CLUSTER_TIMEOUT_MS } from '../lambda/live/deadline.js';
import { readPreviousRuns, writeFindingsToDirectory, type CurrentRun } from '../lambda/report/local-store.js';
import { AUDIT_USAGE, parseAuditArguments } from './args.js';
import { formatFindings } from './format.js';
import { UsageError, redactedIo, type CommandIo } from './io.js';
import { newRunId } from './run-id.js';
import { auditSources } from './sources.js';

/** Exit statuses of the `audit` command. */
export const AuditExit = { Clean: 0, Failed: 1, Unusable: 2, Incomplete: 3 } as const;

/**
 * Runs `audit` with `args` (the words after `audit`) against `io`; resolves to the exit status. Everything it writes
 * is redacted: no credential in use (a token, a secret key) is ever printed, whatever message carried it.
 */
export async function runAuditCommand(args: string[], processIo: CommandIo): Promise<number> {
  const io = redactedIo(processIo);
  const warn = (message: string) => io.stderr.write(`warning: ${message}\n`);
  const fail = (message: string) => {
    io.stderr.write(`error: ${message}\n`);
    return AuditExit.Unusable;
  };
  let findings: Finding[];
  let invocation: ReturnType<typeof parseAuditArguments>;
  let output: DirectoryStore | undefined;
  try {
    invocation = parseAuditArguments(args);
    if (invocation.help) {
      io.stdout.write(AUDIT_USAGE);
      return AuditExit.Clean;
    }
    if (invocation.output !== undefined) output = directoryStore(invocation.output);
    const observedAt = new Date();
    const suppressions = invocation.suppressions === undefined ? [] : await readSuppressionsFile(invocation.suppressions);
    if (invocation.previous !== undefined) await assertFolder('--previous', invocation.previous);
    const options = {
      runId: newRunId(observedAt),
      observedAt,
      excludedNamespaces: invocation.excludedNamespaces,
      ...(suppressions.length > 0 ? { suppress: suppressionMatcher(suppressions, observedAt) } : {}),
      deadline: {
        clusterMs: DEFAULT_CLUSTER_TIMEOUT_MS,
        ...(invocation.timeoutMs === undefined ? {} : { runEndsAt: observedAt.getTime() + invocation.timeoutMs }),
      },
      ...(invocation.maxBodyBytes === undefined ? {} : { collect: { maxBodyBytes: invocation.maxBodyBytes } }),
    };
    // Each cluster, as soon as it is done: its changes since the previous run, then the --output folder.
    const previous = invocation.previous;
    const finish = async (clusterFindings: Finding[]): Promise<Finding[]> => {
      const annotated = previous === undefined ? clusterFindings : await withChanges(clusterFindings, previous, options, warn);
      await output?.store(annotated);
      return annotated;
    };
    const audited = await auditSources(invocation.sources, options, io, warn, finish);
    findings = audited.findings;
    for (const warning of suppressionWarnings(suppressions, suppressionsUsed(findings), observedAt)) warn(warning);
    // Their findings say UNKNOWN and why; the line makes sure a reader of the table or a pipeline notices.
    for (const { cluster, reason } of audited.failedClusters) {
      warn(`${cluster.region ? `${cluster.name} (${cluster.region})` : cluster.name}: not audited: ${reason}`);
    }
    if (invocation.exclusionsGiven) for (const warning of exclusionWarnings(invocation.excludedNamespaces, findings)) warn(warning);
  } catch (error) {
    if (error instanceof UsageError || error instanceof InputError) return fail(error.message);
    throw error;
  }
  let unprintable: string | undefined;
  try {
    // Piece by piece (a line format, in chunks of whole lines): a large audit's output is never one string.
    for (const piece of formatFindings(findings, invocation.format, wantsColor(io))) io.stdout.write(piece);
  } catch (error) {
    if (!(error instanceof AsffError)) throw error;
    // Nothing is printed, but --output already keeps the findings.
    unprintable = `--format asff: ${error.message}`;
  }
  // Each cluster was stored as it was done; the findings are printed now: a store that failed lost nothing, but the
  // run is not clean.
  const storeError = output?.error();
  if (storeError !== undefined) return fail(`--output ${invocation.output}: ${storeError}`);
  if (unprintable !== undefined) return fail(unprintable);
  return auditExit(findings, invocation.failOn);
}

/** `--output DIR`, written cluster by cluster: `store` never rejects; `error` is the first write that failed. */
interface DirectoryStore {
  store(findings: Finding[]): Promise<void>;
  error(): string | undefined;
}

function directoryStore(directory: string): DirectoryStore {
  let first: string | undefined;
  return {
    async store(findings) {
      try {
        await writeFindingsToDirectory(directory, findings);
      } catch (error) {
        first ??= (error as Error).message.split('\n')[0];
      }
    },
    error: () => first,
  };
}

/**
 * A failure at or above `threshold` fails the run; otherwise a cluster whose `control` verdict is UNKNOWN (it, or its
 * region, could not be audited; a kind it needs was not read; input objects were skipped) makes it incomplete, which
 * is never reported as clean.
 */
function auditExit(findings: Finding[], threshold: Severity): number {
  if (hasFailureAtOrAbove(findings, threshold)) return AuditExit.Failed;
  const undecided = findings.some((finding) => finding.check_id === CheckId.Control && finding.status === Status.Unknown);
  return undecided ? AuditExit.Incomplete : AuditExit.Clean;
}

/**
 * Colour on a terminal, as the conventions say: `FORCE_COLOR` (any value but `0` or `false`) turns it on anywhere, and
 * wins over `NO_COLOR`, which turns it off only when non-empty (no-color.org).
 */
export function wantsColor(io: CommandIo): boolean {
  const force = io.env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (io.env.NO_COLOR) return false;
  return io.stdout.isTTY === true;
}

/** A suppressed failure is an accepted risk: it never fails the run. */
/**
 * What an explicit `--exclude-namespaces` did: the defaults it no longer excludes (it replaces them), and, per
 * cluster, the names it gave that match no namespace there (a typo excludes nothing), from the control's evidence.
 */
export function exclusionWarnings(excluded: readonly string[], findings: readonly Finding[]): string[] {
  const dropped = DEFAULT_EXCLUDED_NAMESPACES.filter((name) => !excluded.includes(name));
  const warnings =
    dropped.length > 0
      ? [`--exclude-namespaces replaces the default exclusions: ${dropped.join(', ')} ${dropped.length === 1 ? 'is' : 'are'} audited too (list ${dropped.length === 1 ? 'it' : 'them'} to keep ${dropped.length === 1 ? 'it' : 'them'} out)`]
      : [];
  for (const control of findings.filter((finding) => finding.check_id === CheckId.Control)) {
    const absent = control.evidence.excluded_namespaces_absent;
    if (!Array.isArray(absent) || absent.length === 0) continue;
    const where = control.cluster.region ? `${control.cluster.name} (${control.cluster.region})` : control.cluster.name;
    warnings.push(`${where}: --exclude-namespaces names ${absent.join(', ')}, which ${absent.length === 1 ? 'matches' : 'match'} no namespace of the cluster`);
  }
  return warnings;
}

function hasFailureAtOrAbove(findings: Finding[], threshold: Severity): boolean {
  return findings.some(
    (finding) => finding.status === Status.Fail && finding.suppression === null && atOrAbove(finding.severity, threshold),
  );
}

/** Refuses a `flag` folder that is not there before the audit runs, rather than after it. */
async function assertFolder(flag: string, folder: string): Promise<void> {
  const isFolder = await stat(folder).then((entry) => entry.isDirectory(), () => false);
  if (!isFolder) throw new UsageError(`${flag} ${folder}: not a folder`);
}

/**
 * `findings` with `first_seen` and `change` against each cluster's latest earlier run in `folder` (`--previous`); a
 * cluster with none there is named, and its failures count as new.
 */
async function withChanges(findings: Finding[], folder: string, run: CurrentRun, warn: (message: string) => void): Promise<Finding[]> {
  const clusters = groupByCluster(findings);
  let previous: Map<string, Finding[]>;
  try {
    previous = await readPreviousRuns(folder, run, clusters.map(([key]) => key), warn);
  } catch (error) {
    throw new UsageError(`--previous ${folder}: ${(error as Error).message}`);
  }
  for (const [key, [first]] of clusters) {
    if (!previous.has(key) && first) warn(`--previous ${folder} holds no earlier run of cluster ${first.cluster.name}: its failures count as new`);
  }
  return annotateRun(findings, (key) => previous.get(key));
}
