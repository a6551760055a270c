/**
 * The `audit` command's options: parsed with `node:util` parseArgs, validated, and turned into what the command
 * needs — where the snapshots come from (offline files, a kubeconfig context, or the EKS API) and how to report.
 * Every problem is a {@link UsageError} of one line naming the flag.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_EXCLUDED_NAMESPACES, SEVERITY_ORDER, Severity } from '../lambda/audit/finding.js';
import { DEFAULT_MAX_BODY_MIB, MAX_BODY_MIB_EXPECTED, mebibytes, parseMaxBodyMib } from '../lambda/collect/body-limit.js';
import { STDIN, type OfflineSources } from '../lambda/collect/offline.js';
import { isAccountId, isClusterName, isRegionName } from '../lambda/names.js';
import { DEFAULT_CLUSTER_TIMEOUT_MS } from '../lambda/live/deadline.js';
import { UsageError } from './io.js';

/** The output formats of `--format`. */
export const OutputFormat = { Table: 'table', Jsonl: 'jsonl', Json: 'json', Asff: 'asff', Ocsf: 'ocsf' } as const;
export type OutputFormat = (typeof OutputFormat)[keyof typeof OutputFormat];

/** Where the snapshots come from. */
export const SourceMode = { Offline: 'offline', Kubeconfig: 'kubeconfig', Eks: 'eks' } as const;

/** The source flags, sorted by mode: exactly one mode per invocation. */
export type SourceSelection =
  | { mode: typeof SourceMode.Offline; offline: OfflineSources }
  /** A kubeconfig context (any cluster, EKS or not); both unset means `$KUBECONFIG` or `~/.kube/config`, current context. */
  | { mode: typeof SourceMode.Kubeconfig; kubeconfig?: string; context?: string }
  /** EKS clusters through the AWS credential chain; no regions means the chain's default region. */
  | { mode: typeof SourceMode.Eks; clusters: string[]; allClusters: boolean; regions: string[] };

/** A parsed, valid `audit` invocation that runs an audit. */
export interface AuditArguments {
  help: false;
  sources: SourceSelection;
  format: OutputFormat;
  /** `--output DIR`: also write the findings store layout there. */
  output?: string;
  excludedNamespaces: string[];
  /** Whether `--exclude-namespaces` was given (it replaces the defaults rather than adding to them). */
  exclusionsGiven: boolean;
  failOn: Severity;
  /** `--suppressions FILE`: accepted risks (lambda/lifecycle/suppressions.ts). */
  suppressions?: string;
  /** `--previous DIR`: a store-layout folder holding earlier runs, for `first_seen` and `change`. */
  previous?: string;
  /** `--timeout SECONDS`: the run's deadline; a live cluster not finished by then is UNKNOWN. */
  timeoutMs?: number;
  /** `--max-body-mib N`: live sources read no Kubernetes API answer larger than this (bytes); absent: the default. */
  maxBodyBytes?: number;
}

/** The `--help` text. */
export const AUDIT_USAGE = `usage: eks-netpol-auditor audit [sources] [options]
       (from a clone: npm run --silent audit -- [sources] [options])

Audits NetworkPolicy enforcement and coverage (CIS EKS, Kubescape C-0230) and prints the findings.

Offline sources (files):
  --kube FILE                 kubectl get … -o json|yaml output (a List or an object); repeatable; - reads stdin
  --eks-cluster FILE          aws eks describe-cluster output
  --eks-addon FILE            aws eks describe-addon output; repeatable
  --cluster-name NAME         the cluster's name (default: from --eks-cluster, else the first --kube file's name)
  --region R, --account ID    its region and AWS account (default: from --eks-cluster's ARN, else none)
Live sources:
  --kubeconfig FILE           kubeconfig to use (default: $KUBECONFIG or ~/.kube/config)
  --context NAME              kubeconfig context (default: the current context)
  --cluster NAME              EKS cluster, through AWS credentials; repeatable
  --all-clusters              every EKS cluster of the regions
  --region R                  AWS region for --cluster/--all-clusters; repeatable
  With no source flag, the current kubeconfig context is audited.
Options:
  --format FORMAT             table (default), jsonl, json, asff (a JSON array for Security Hub's
                              BatchImportFindings) or ocsf (OCSF 1.1.0 Compliance Finding events, one a line)
  --output DIR                also write the findings as DIR/findings/dt=YYYY-MM-DD/<run>-<cluster>.jsonl.gz
  --exclude-namespaces a,b    namespaces left out of coverage checks (default: ${DEFAULT_EXCLUDED_NAMESPACES.join(',')};
                              "" audits every namespace, as strict CIS asks)
  --fail-on SEVERITY          Informational|Low|Medium: exit 1 on a failure at or above it (default: Medium)
  --suppressions FILE         accepted risks (YAML or JSON list of {check, cluster, namespace, kind, name,
                              reason, expires}): matching failures are marked and do not fail the run
  --previous DIR              an --output folder of earlier runs: each finding says whether it is new,
                              ongoing or resolved since its cluster's latest run there
  --timeout SECONDS           live sources: the run's deadline; a cluster not finished by then is UNKNOWN
                              "not finished within …" (each cluster also has its own deadline of ${DEFAULT_CLUSTER_TIMEOUT_MS / 1000} s)
  --max-body-mib N            live sources: the largest API answer read, in MiB (default ${DEFAULT_MAX_BODY_MIB}); a larger
                              list page makes its kind UNKNOWN naming the limit
  --help                      this text
Colour: the table is coloured on a terminal; NO_COLOR (non-empty) turns it off, FORCE_COLOR (not 0 or false) on.

Exit status: 0 no failure at or above --fail-on, 1 there is one, 2 bad usage or unreadable input,
3 the audit is incomplete: nothing failed at or above --fail-on, but some cluster's verdict is UNKNOWN
(a cluster or region could not be audited, a kind could not be read, input objects were skipped).
`;

const OPTIONS = {
  kube: { type: 'string', multiple: true },
  'eks-cluster': { type: 'string' },
  'eks-addon': { type: 'string', multiple: true },
  'cluster-name': { type: 'string' },
  account: { type: 'string' },
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  cluster: { type: 'string', multiple: true },
  'all-clusters': { type: 'boolean' },
  region: { type: 'string', multiple: true },
  format: { type: 'string' },
  output: { type: 'string' },
  suppressions: { type: 'string' },
  previous: { type: 'string' },
  'exclude-namespaces': { type: 'string' },
  'fail-on': { type: 'string' },
  timeout: { type: 'string' },
  'max-body-mib': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseFlags>;

const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * Parses and validates `args` (the words after `audit`): `{ help: true }` when `--help` is among them, else the
 * audit to run. Throws {@link UsageError} naming the flag at fault.
 */
export function parseAuditArguments(args: string[]): AuditArguments | { help: true } {
  const values = parseFlags(args);
  if (values.help === true) return { help: true };
  return {
    help: false,
    sources: sourceSelection(values),
    format: oneOf('--format', values.format ?? OutputFormat.Table, Object.values(OutputFormat)),
    output: nonEmpty('--output', values.output),
    excludedNamespaces: excludedNamespaces(values['exclude-namespaces']),
    exclusionsGiven: values['exclude-namespaces'] !== undefined,
    failOn: oneOf('--fail-on', values['fail-on'] ?? Severity.Medium, SEVERITY_ORDER, { ignoreCase: true }),
    suppressions: nonEmpty('--suppressions', values.suppressions),
    previous: nonEmpty('--previous', values.previous),
    ...(values.timeout === undefined ? {} : { timeoutMs: timeoutMs(values.timeout) }),
    ...(values['max-body-mib'] === undefined ? {} : { maxBodyBytes: maxBodyBytes(values['max-body-mib']) }),
  };
}

function parseFlags(args: string[]) {
  try {
    return parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(flagError(error as Error & { code?: string }));
  }
}

/** parseArgs' messages span lines and suggest syntax; ours name the flag in one line. */
function flagError(error: Error & { code?: string }): string {
  const option = /'(-[^' ]+)/.exec(error.message)?.[1];
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${option} (see --help)`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument "${/'([^']*)'/.exec(error.message)?.[1]}": every input is given with a flag (see --help)`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /does not take an argument/.test(error.message) ? `${option} takes no value` : `${option} needs a value`;
    default:
      return error.message.split('\n')[0] ?? 'invalid options';
  }
}

function sourceSelection(values: Values): SourceSelection {
  const offline = [
    values.kube && '--kube',
    values['eks-cluster'] && '--eks-cluster',
    values['eks-addon'] && '--eks-addon',
    values['cluster-name'] !== undefined && '--cluster-name',
    values.account !== undefined && '--account',
  ];
  const kubeconfig = [values.kubeconfig !== undefined && '--kubeconfig', values.context !== undefined && '--context'];
  // --region names the clusters' regions live, and the files' cluster's region offline: it belongs to either mode.
  const eks = [values.cluster && '--cluster', values['all-clusters'] && '--all-clusters'];
  const modes = [offline, kubeconfig, eks].map((flags) => flags.filter((flag): flag is string => Boolean(flag)));
  const chosen = modes.filter((flags) => flags.length > 0);
  if (chosen.length > 1) {
    throw new UsageError(`${chosen[0]![0]} cannot be combined with ${chosen[1]![0]}: audit files, a kubeconfig context, or EKS clusters`);
  }
  const regions = regionNames(values.region ?? []);
  if (modes[0]!.length > 0) return offlineSelection(values, regions);
  if (modes[2]!.length > 0 || regions.length > 0) return eksSelection(values, regions);
  return { mode: SourceMode.Kubeconfig, kubeconfig: nonEmpty('--kubeconfig', values.kubeconfig), context: nonEmpty('--context', values.context) };
}

function offlineSelection(values: Values, regions: string[]): SourceSelection {
  if (regions.length > 1) throw new UsageError('--region is given more than once: offline files are one cluster, in one region');
  const clusterName = nonEmpty('--cluster-name', values['cluster-name']);
  if (clusterName !== undefined && !isClusterName(clusterName)) {
    throw new UsageError(`--cluster-name "${clusterName.slice(0, 80)}" is not a cluster name (letters, digits, - and _, at most 100)`);
  }
  const accountId = nonEmpty('--account', values.account);
  if (accountId !== undefined && !isAccountId(accountId)) {
    throw new UsageError(`--account "${accountId.slice(0, 80)}" is not an AWS account id (12 digits)`);
  }
  const clusterFiles = values['eks-cluster'];
  const identity = { name: clusterName, region: regions[0], accountId };
  return {
    mode: SourceMode.Offline,
    offline: {
      kube: kubeFiles(values.kube ?? []),
      eksCluster: clusterFiles === undefined ? undefined : nonEmpty('--eks-cluster', clusterFiles),
      eksAddons: (values['eks-addon'] ?? []).map((file) => nonEmpty('--eks-addon', file) as string),
      ...(Object.values(identity).some((value) => value !== undefined) ? { identity } : {}),
    },
  };
}

function kubeFiles(files: string[]): string[] {
  // Standard input can be read once.
  if (files.filter((file) => file === STDIN).length > 1) throw new UsageError('--kube - (standard input) can be given once');
  return files.map((file) => nonEmpty('--kube', file) as string);
}

function eksSelection(values: Values, regions: string[]): SourceSelection {
  const clusters = (values.cluster ?? []).map((name) => nonEmpty('--cluster', name) as string);
  const allClusters = values['all-clusters'] === true;
  if (allClusters && clusters.length > 0) throw new UsageError('--all-clusters cannot be combined with --cluster: choose one');
  if (!allClusters && clusters.length === 0) throw new UsageError('--region needs --cluster NAME or --all-clusters (or --kube FILE)');
  return { mode: SourceMode.Eks, clusters, allClusters, regions };
}

function regionNames(regions: string[]): string[] {
  const badRegion = regions.find((region) => !isRegionName(region));
  if (badRegion !== undefined) throw new UsageError(`--region "${badRegion.slice(0, 80)}" is not an AWS region name (e.g. eu-west-1)`);
  return regions;
}

function excludedNamespaces(value: string | undefined): string[] {
  // Unset keeps the defaults; an empty string means no exclusion at all (strict CIS).
  if (value === undefined) return [...DEFAULT_EXCLUDED_NAMESPACES];
  const names = value.split(',').map((name) => name.trim()).filter((name) => name !== '');
  const bad = names.find((name) => !NAMESPACE.test(name));
  if (bad !== undefined) throw new UsageError(`--exclude-namespaces has "${bad.slice(0, 80)}", which is not a namespace name`);
  return names;
}

/** `--timeout` in seconds (a decimal is fine: `0.5`), from a millisecond to a day. */
function timeoutMs(value: string): number {
  const seconds = Number(value.trim());
  if (value.trim() === '' || !Number.isFinite(seconds) || seconds < 0.001 || seconds > 86_400) {
    throw new UsageError(`--timeout is "${value.slice(0, 80)}"; expected a number of seconds from 0.001 to 86400`);
  }
  return Math.round(seconds * 1000);
}

/** `--max-body-mib` in bytes. */
function maxBodyBytes(value: string): number {
  const mib = parseMaxBodyMib(value);
  if (mib === undefined) throw new UsageError(`--max-body-mib is "${value.slice(0, 80)}"; expected ${MAX_BODY_MIB_EXPECTED}`);
  return mebibytes(mib);
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[], options = { ignoreCase: false }): T {
  const same = (candidate: string) => (options.ignoreCase ? candidate.toLowerCase() === value.toLowerCase() : candidate === value);
  const match = allowed.find(same);
  if (match === undefined) throw new UsageError(`${flag} is "${value.slice(0, 80)}"; expected one of ${allowed.join(', ')}`);
  return match;
}

function nonEmpty(flag: string, value: string | undefined): string | undefined {
  if (value !== undefined && value.trim() === '') throw new UsageError(`${flag} needs a value`);
  return value;
}
