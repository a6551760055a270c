/**
 * Offline loading: builds a {@link ClusterSnapshot} from files — `kubectl get … -o json|yaml` output (`--kube`), and
 * the AWS CLI's `describe-cluster` / `describe-addon` output (`--eks-cluster`, `--eks-addon`). A file that cannot be
 * used stops loading with an {@link InputError}; one bad object inside a usable file is skipped with a warning.
 *
 * Which kinds count as read decides UNKNOWN versus FAIL, so the rule is explicit (and documented in the README): a
 * kind is read when an object of it, or a typed list of it (`NetworkPolicyList`, even empty), is present. Because
 * `kubectl get a,b,c -o json` prints one untyped `List` that cannot show an empty kind, the kinds that may rightly be
 * empty are also taken as read-and-empty when Pods are present — the documented capture command reads them together.
 */
import { constants as bufferConstants } from 'node:buffer';
import { readFile, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { ClusterIdentity, ClusterSnapshot, CollectionProblem, EksAddon, EksCluster, KubeObject, SkippedObject } from '../audit/snapshot.js';
import { parseDocuments } from './documents.js';
import { clusterIdentity, describedAddon, describedCluster } from './eks-describe.js';
import { clipped, InputError } from './input-error.js';
import { INVENTORY_BUCKETS, InventoryBuilder, isInventoryKind, type InventoryKind } from './kube-objects.js';
import { isRecord, objectProblem } from './object-problems.js';

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

/** Kinds a cluster may rightly have none of, taken as read-and-empty when the capture holds Pods. */
const MAY_BE_EMPTY: readonly InventoryKind[] = ['NetworkPolicy', 'ReplicaSet', 'Job', 'ConfigMap'];

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
  for (const file of sources.kube) {
    for (const [location, document] of located(await readDocuments(file))) {
      addDocument(file, location, document, inventory, warn);
    }
  }
  if (inventory.isRead('Pod')) {
    for (const kind of MAY_BE_EMPTY.filter((kind) => !inventory.isRead(kind))) {
      warn(`no ${kind} objects in the input: taken as none (${CAPTURE_ADVICE})`);
      inventory.markRead(kind);
    }
  }
  const eks = sources.eksCluster ? describedCluster(sources.eksCluster, await readOne(sources.eksCluster)) : undefined;
  const addons = sources.eksAddons.length > 0 ? await readAddons(sources.eksAddons, eks?.name, warn) : undefined;
  const kube = inventory.build();
  return {
    cluster: offlineIdentity(sources, eks, addons),
    eks,
    addons,
    kube,
    problems: Object.entries(INVENTORY_BUCKETS)
      .filter(([, bucket]) => kube[bucket] === undefined)
      .map(([kind, bucket]): CollectionProblem => ({
        kind: bucket,
        reason: sources.kube.length === 0 ? 'no --kube file was given' : `the input files hold no ${kind} objects`,
      })),
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

/** Sorts one document of a `--kube` file: a list (its items), an object of a kind the audit reads, or anything else. */
function addDocument(
  file: string,
  location: string,
  document: unknown,
  inventory: InventoryBuilder,
  warn: (message: string) => void,
): void {
  if (!isRecord(document)) throw new InputError(file, `${location || 'document'} is not a Kubernetes object or List`);
  const kind = document.kind;
  if (Array.isArray(document.items) && (kind === undefined || (typeof kind === 'string' && kind.endsWith('List')))) {
    // A typed list (`PodList`, as the API returns it: `kubectl get --raw /api/v1/pods`) names its items' kind, which
    // the items themselves leave out.
    const itemKind = typeof kind === 'string' && kind !== 'List' ? kind.slice(0, -'List'.length) : undefined;
    if (itemKind !== undefined && isInventoryKind(itemKind)) inventory.markRead(itemKind);
    document.items.forEach((item, index) =>
      addObject(file, `${location ? `${location}.` : ''}items[${index}]`, item, itemKind, inventory, warn),
    );
    return;
  }
  if (typeof kind !== 'string') {
    throw new InputError(file, `${location || 'document'} is not \`kubectl get\` output (no kind and no items)`);
  }
  addObject(file, location || 'object', document, undefined, inventory, warn);
}

function addObject(
  file: string,
  location: string,
  item: unknown,
  listKind: string | undefined,
  inventory: InventoryBuilder,
  warn: (message: string) => void,
): void {
  const object = isRecord(item) ? item : undefined;
  const kind = typeof object?.kind === 'string' ? object.kind : listKind;
  const place = `${file}: ${location}`;
  if (!object || kind === undefined) {
    skipObject({ place, object: objectLabel(object, kind), reason: object ? 'kind is missing' : 'not an object' }, inventory, warn);
    return;
  }
  // Captures may hold kinds the audit does not read (Deployments, Services, …): they are simply not part of it.
  if (!isInventoryKind(kind)) return;
  inventory.markRead(kind);
  const problem = objectProblem(kind, object);
  if (problem) {
    skipObject({ place, object: objectLabel(object, kind), reason: problem }, inventory, warn);
    return;
  }
  const typed = object as unknown as KubeObject;
  // Only kind-less items of a typed list need a copy that carries their kind.
  const { conflict } = inventory.add(typed.kind === kind ? (typed as KubeObject & { kind: InventoryKind }) : { ...typed, kind }, place);
  if (conflict) {
    const kept = conflict.kept === 'later' ? place : conflict.earlier;
    warn(`${place} (${objectLabel(object, kind)}): differs from the copy at ${conflict.earlier}; kept the copy at ${kept} (${conflict.why})`);
  }
}

/** An object that cannot be read is skipped, with a warning, and recorded: the audit is then incomplete, never clean. */
function skipObject(skipped: SkippedObject, inventory: InventoryBuilder, warn: (message: string) => void): void {
  warn(`${skipped.place} (${skipped.object}): ${skipped.reason}; skipped`);
  inventory.skip(skipped);
}

/** `Kind namespace/name` for warnings, with a long or missing name shown as such. */
function objectLabel(object: Record<string, unknown> | undefined, kind: string | undefined): string {
  const metadata = isRecord(object?.metadata) ? object.metadata : {};
  const name = typeof metadata.name === 'string' && metadata.name !== '' ? clipped(metadata.name) : 'no name';
  const namespace = typeof metadata.namespace === 'string' && metadata.namespace !== '' ? `${clipped(metadata.namespace)}/` : '';
  return `${kind ? clipped(kind) : 'no kind'} ${namespace}${name}`;
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
function readFailure(error: unknown): string {
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
