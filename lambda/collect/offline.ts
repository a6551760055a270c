/**
 * Offline loading: builds a {@link ClusterSnapshot} from files — `kubectl get … -o json|yaml` output (`--kube`), and
 * the AWS CLI's `describe-cluster` / `describe-addon` output (`--eks-cluster`, `--eks-addon`). A file that cannot be
 * used stops loading with an {@link InputError}; one bad object inside a usable file is skipped with a warning.
 *
 * Which kinds count as read decides UNKNOWN versus FAIL, so the rule is explicit (and documented in the README): a
 * kind is read when an object of it, or a typed list of it (`NetworkPolicyList`, even empty), is present. Because
 * `kubectl get a,b,c -o json` prints one untyped `List` that cannot show an empty kind, the kinds that may rightly be
 * empty are also taken as read-and-empty when Pods are present — the documented capture command reads them together.
 * A CRD-backed kind is also read-and-empty when the capture's CRDs or discovery output say it is not installed.
 * Sorting objects into buckets by the kinds table, and validating them, is kube-input.ts.
 */
import { constants as bufferConstants } from 'node:buffer';
import { readFile, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { KINDS } from '../audit/kinds.js';
import type { ClusterIdentity, ClusterSnapshot, CollectionProblem, EksAddon, EksCluster } from '../audit/snapshot.js';
import type { ApiDiscovery } from './api-discovery.js';
import { parseDocuments } from './documents.js';
import { clusterIdentity, describedAddon, describedCluster } from './eks-describe.js';
import { clipped, InputError } from './input-error.js';
import { KubeInputSorter } from './kube-input.js';
import { InventoryBuilder } from './kube-objects.js';

export { InputError } from './input-error.js';

/** The files of one offline audit, as given on the command line. */
export interface OfflineSources {
  /** `kubectl get … -o json|yaml` output files, merged in order. */
  kube: string[];
  /** `aws eks describe-cluster` output. */
  eksCluster?: string;
  /** `aws eks describe-addon` output files. */
  eksAddons: string[];
  /**
   * Who the files are about (`--cluster-name`, `--region`, `--account`): so that the same data saved under two file
   * names gets the same finding ids. Must agree with `eksCluster` when both say.
   */
  identity?: { name?: string; region?: string; accountId?: string };
}

/** Shown where the capture lacks a kind: the README holds the one command that captures them all. */
const CAPTURE_ADVICE = 'capture with the README command';

/**
 * Loads one cluster's snapshot from `sources`. `warn` receives one line per skipped object and per kind taken as
 * none. Throws {@link InputError} (one line naming the file) for a missing, empty, truncated or malformed file, or
 * EKS output of the wrong shape.
 */
export async function loadOfflineSnapshot(
  sources: OfflineSources,
  warn: (message: string) => void,
): Promise<ClusterSnapshot> {
  const inventory = new InventoryBuilder();
  const sorter = new KubeInputSorter(inventory, warn);
  for (const file of sources.kube) {
    for (const [location, document] of located(await readDocuments(file))) sorter.addDocument(file, location, document);
  }
  sorter.warnUnmodeled();
  if (inventory.isRead('pods')) {
    for (const spec of KINDS.filter((row) => row.mayBeEmpty && !inventory.isRead(row.bucket))) {
      warn(`no ${spec.kind} objects in the input: taken as none (${CAPTURE_ADVICE})`);
      inventory.markRead(spec.bucket);
    }
  }
  markNotInstalled(sorter.discovery, inventory);
  const eks = sources.eksCluster ? describedCluster(sources.eksCluster, await readOne(sources.eksCluster)) : undefined;
  const addons = sources.eksAddons.length > 0 ? await readAddons(sources.eksAddons, eks?.name, warn) : undefined;
  const kube = inventory.build();
  return {
    cluster: offlineIdentity(sources, eks, addons),
    eks,
    addons,
    kube,
    ...(sorter.discovery.known ? { servedKinds: sorter.discovery.servedKinds() } : {}),
    problems: KINDS.filter((spec) => kube[spec.bucket] === undefined).map(
      (spec): CollectionProblem => ({
        kind: spec.bucket,
        reason: sources.kube.length === 0 ? 'no --kube file was given' : `the input files hold no ${spec.kind} objects${spec.builtIn ? '' : ` (${spec.group})`}`,
      }),
    ),
    skipped: inventory.skipped(),
  };
}

/**
 * The cluster the files are about: the given identity, else describe-cluster's, else the add-on's cluster name or the
 * first file's name. A given part that contradicts describe-cluster is refused: the findings would name two clusters.
 */
function offlineIdentity(sources: OfflineSources, eks: EksCluster | undefined, addons: EksAddon[] | undefined): ClusterIdentity {
  const given = sources.identity ?? {};
  const fallbackFile = sources.kube[0] ?? sources.eksAddons[0];
  const fallbackName = addons?.[0]?.clusterName ?? (fallbackFile ? fileStem(fallbackFile) : 'offline');
  const described = clusterIdentity(eks, given.name ?? fallbackName);
  const flags = { name: ['cluster name', '--cluster-name'], region: ['region', '--region'], accountId: ['account', '--account'] } as const;
  for (const [part, [what, flag]] of Object.entries(flags) as Array<[keyof typeof flags, readonly [string, string]]>) {
    const value = given[part];
    const stated = described[part];
    if (value !== undefined && stated !== undefined && stated !== value) {
      throw new InputError(sources.eksCluster!, `its ${what} is ${clipped(stated)}, not the ${flag} ${value}`);
    }
  }
  return { ...described, ...Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined)) };
}

/**
 * A CRD-backed kind the capture says the cluster does not serve is read and empty: the API is not installed, so
 * there is nothing to read (objects of it found anyway are kept).
 */
function markNotInstalled(discovery: ApiDiscovery, inventory: InventoryBuilder): void {
  for (const spec of KINDS) if (discovery.servedVersion(spec) === null) inventory.markRead(spec.bucket);
}

/** Pairs each document with its place in the file: `''` for the only one, `documents[i]` in a multi-document file. */
function located(documents: unknown[]): Array<[string, unknown]> {
  return documents.map((document, index) => [documents.length === 1 ? '' : `documents[${index}]`, document]);
}

async function readAddons(
  files: string[],
  clusterName: string | undefined,
  warn: (message: string) => void,
): Promise<EksAddon[]> {
  const addons: EksAddon[] = [];
  for (const file of files) {
    const addon = describedAddon(file, await readOne(file));
    if (clusterName && addon.clusterName && addon.clusterName !== clusterName) {
      warn(`${file}: add-on of cluster ${clipped(addon.clusterName)}, not ${clusterName}; used anyway`);
    }
    addons.push(addon);
  }
  return addons;
}

/** The single document of an AWS CLI output file. */
async function readOne(file: string): Promise<unknown> {
  const documents = await readDocuments(file);
  if (documents.length > 1) throw new InputError(file, `holds ${documents.length} documents, expected one`);
  return documents[0];
}

async function readDocuments(file: string): Promise<unknown[]> {
  let text: string;
  try {
    // V8 cannot hold a longer string; reading would fail with an error that names neither the file nor the fix.
    const { size } = await stat(file);
    if (size > bufferConstants.MAX_STRING_LENGTH) {
      throw new InputError(file, `is ${mebibytes(size)} MiB, more than the ${mebibytes(bufferConstants.MAX_STRING_LENGTH)} MiB a capture can have: compact it (jq -c .) or capture each kind into its own file`);
    }
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(file, readFailure(error));
  }
  return parseDocuments(file, text);
}

function mebibytes(bytes: number): number {
  return Math.floor(bytes / 2 ** 20);
}

/** The reason a file could not be read, in words (the error's own message repeats the path and the syscall). */
export function readFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'is a directory, not a file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return `cannot be read (${code ?? 'unknown error'})`;
  }
}

function fileStem(file: string): string {
  return basename(file, extname(file));
}
