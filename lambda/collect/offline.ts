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
import { constants } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { KINDS } from '../audit/kinds.js';
import type { ClusterIdentity, ClusterSnapshot, CollectionProblem, EksAddon, EksCluster } from '../audit/snapshot.js';
import type { ApiDiscovery } from './api-discovery.js';
import { inputParts, parseDocuments, tooLongForText, utf16Encoding, utf16Problem, type InputSource } from './documents.js';
import { clusterIdentity, describedAddon, describedCluster } from './eks-describe.js';
import { clipped, InputError } from './input-error.js';
import { KubeInputSorter } from './kube-input.js';
import { InventoryBuilder } from './kube-objects.js';

export { InputError } from './input-error.js';

const MAX_STRING_LENGTH = constants.MAX_STRING_LENGTH;

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
 * Loads one cluster's snapshot from `sources`, reading `stdin` for a `--kube` of `-`. `warn` receives one line per
 * skipped object and per kind taken as none. Throws {@link InputError} (one line naming the file) for a missing, empty, truncated or malformed file, or
 * EKS output of the wrong shape.
 */
export async function loadOfflineSnapshot(
  sources: OfflineSources,
  warn: (message: string) => void,
  stdin: AsyncIterable<Buffer | string> = process.stdin,
): Promise<ClusterSnapshot> {
  const inventory = new InventoryBuilder();
  const sorter = new KubeInputSorter(inventory, warn);
  for (const file of sources.kube) {
    const source = file === STDIN ? streamSource(stdin) : await fileSource(file);
    for await (const part of inputParts(source)) sorter.addPart(source.label, part);
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
  const fallbackFile = sources.kube.find((file) => file !== STDIN) ?? sources.eksAddons[0];
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

/** `--kube -`: the capture is read from standard input (`kubectl get … -o json | eks-netpol-auditor audit --kube -`). */
export const STDIN = '-';

/** A file as an input source: read in large chunks, and again whole to explain an error. */
async function fileSource(file: string): Promise<InputSource> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (error) {
    throw new InputError(file, readFailure(error));
  }
  return {
    label: file,
    size,
    chunks: () => readable(file, () => createReadStream(file, { highWaterMark: CHUNK_BYTES })),
    reread: () => readFile(file, 'utf8'),
  };
}

/** Standard input as an input source, named `stdin` in messages. */
function streamSource(stream: AsyncIterable<Buffer | string>): InputSource {
  return { label: 'stdin', chunks: () => readable('stdin', () => stream) };
}

// Large reads: fewer turns of the event loop per megabyte, and still a small part of the memory an audit takes.
const CHUNK_BYTES = 2 ** 20;

/** The chunks of `open()`'s stream as Buffers, its read errors turned into an {@link InputError} naming `label`. */
async function* readable(label: string, open: () => AsyncIterable<Buffer | string>): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of open()) yield typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(label, readFailure(error));
  }
}

/** The documents of an AWS CLI output file, read whole (they are small). */
async function readDocuments(file: string): Promise<unknown[]> {
  let text: string;
  try {
    const { size } = await stat(file);
    if (size > MAX_STRING_LENGTH) throw new InputError(file, tooLongForText(size));
    const bytes = await readFile(file);
    const encoding = utf16Encoding(bytes);
    if (encoding !== undefined) throw new InputError(file, utf16Problem(encoding));
    text = bytes.toString('utf8');
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(file, readFailure(error));
  }
  return parseDocuments(file, text);
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
