/**
 * `eks-netpol-auditor capture`: reads a live cluster (a kubeconfig context, or an EKS cluster by name and region)
 * exactly as the live audit does and writes everything the audit reads in the offline format (lambda/collect/capture.ts),
 * including which policy APIs the cluster serves, so `audit --kube` of the file gives the verdicts of the live audit. Exit status: 0 complete,
 * 3 some kind could not be read (the file says so by leaving it out; the reasons go to stderr), 2 bad usage.
 */
import { writeFile } from 'node:fs/promises';
import { captureDocument } from '../lambda/collect/capture.js';
import type { ClusterSnapshot } from '../lambda/audit/snapshot.js';
import { collectKubeInventory, type KubeCollection } from '../lambda/collect/kubernetes.js';
import { collectEksCluster } from '../lambda/live/eks-cluster.js';
import { KubeconfigError, loadKubeConfig } from '../lambda/live/kubeconfig-context.js';
import { isClusterName, isRegionName } from '../lambda/names.js';
import type { CommandIo } from './io.js';
import { defaultAws, type LiveRunOptions } from './live-sources.js';

/** The usage text of `capture`. */
export const CAPTURE_USAGE = `usage: eks-netpol-auditor capture [--kubeconfig FILE] [--context NAME] [--output FILE]
       eks-netpol-auditor capture --cluster NAME [--region R] [--output FILE]

Reads the cluster of a kubeconfig context (default: $KUBECONFIG or ~/.kube/config, current context), or EKS cluster
NAME with the AWS default credential chain (--region, else $AWS_REGION or $AWS_DEFAULT_REGION), as \`audit\` reads it,
and writes what the audit reads as one JSON file for \`audit --kube FILE\`: a typed list per kind, and which policy
APIs the cluster serves. --output FILE writes it there (default: standard output); with --cluster it also writes
what EKS says beside it, FILE's name with .eks-cluster.json and .addon-vpc-cni.json, for --eks-cluster and --eks-addon.
Exit status: 0 complete; 3 some kind could not be read (named on stderr); 2 bad usage.
`;

const VALUE_FLAGS = new Set(['--kubeconfig', '--context', '--output', '--cluster', '--region']);

/** AWS access for `--cluster`; the default credential chain and one EKS client per region unless a test passes its own. */
export type CaptureAws = NonNullable<LiveRunOptions['aws']>;

/** Runs `capture` with `args`; returns the exit status. */
export async function runCaptureCommand(args: string[], io: CommandIo, aws?: CaptureAws): Promise<number> {
  const flags = new Map<string, string>();
  for (let index = 0; index < args.length; index += 1) {
    const flag = args[index] as string;
    if (flag === '--help' || flag === '-h') {
      io.stdout.write(CAPTURE_USAGE);
      return 0;
    }
    const value = args[index + 1];
    if (!VALUE_FLAGS.has(flag) || value === undefined || flags.has(flag)) {
      return usageError(io, `${VALUE_FLAGS.has(flag) ? `${flag} needs one value` : `unknown option "${flag.slice(0, 80)}"`}`);
    }
    flags.set(flag, value);
    index += 1;
  }
  const output = flags.get('--output');
  const cluster = flags.get('--cluster');
  let captured: Captured;
  if (cluster === undefined) {
    if (flags.has('--region')) return usageError(io, '--region needs --cluster');
    try {
      const kubeConfig = loadKubeConfig({ kubeconfig: flags.get('--kubeconfig'), context: flags.get('--context'), env: io.env });
      captured = { collection: await collectKubeInventory(kubeConfig) };
    } catch (error) {
      if (!(error instanceof KubeconfigError)) throw error;
      io.stderr.write(`error: ${error.message}\n`);
      return 2;
    }
  } else {
    const other = ['--kubeconfig', '--context'].find((flag) => flags.has(flag));
    if (other !== undefined) return usageError(io, `${other} and --cluster name two different clusters: give one`);
    if (!isClusterName(cluster)) return usageError(io, `--cluster "${cluster.slice(0, 80)}" is not an EKS cluster name`);
    const region = flags.get('--region') ?? (io.env.AWS_REGION || io.env.AWS_DEFAULT_REGION);
    if (!region) return usageError(io, 'no AWS region: pass --region R or set AWS_REGION');
    if (!isRegionName(region)) return usageError(io, `--region "${region.slice(0, 80)}" is not an AWS region`);
    const access = aws ?? defaultAws();
    const { snapshot, collection } = await collectEksCluster({ eks: access.eksFor(region), region, name: cluster, credentials: access.credentials }, undefined);
    if (collection === undefined) {
      const why = snapshot.problems.find((problem) => problem.kind === 'cluster')?.reason ?? 'its Kubernetes API could not be reached';
      io.stderr.write(`error: EKS cluster ${cluster} (${region}) could not be captured: ${why}\n`);
      return 3;
    }
    captured = { collection, eks: snapshot };
  }
  const text = `${JSON.stringify(captureDocument(captured.collection))}\n`;
  const files = output !== undefined && captured.eks ? eksFiles(output, captured.eks) : [];
  try {
    if (output === undefined) io.stdout.write(text);
    else await writeFile(output, text);
    for (const [file, document] of files) await writeFile(file, `${JSON.stringify(document, null, 2)}\n`);
  } catch (error) {
    const failure = error as NodeJS.ErrnoException;
    io.stderr.write(`error: ${failure.path ?? output}: cannot be written (${failure.code ?? 'unknown error'})\n`);
    return 2;
  }
  const { problems, skipped } = captured.collection;
  const eksProblems = captured.eks?.problems.filter((problem) => !problems.includes(problem)) ?? [];
  for (const problem of [...eksProblems, ...problems]) io.stderr.write(`warning: not captured: ${problem.kind}: ${problem.reason}\n`);
  for (const item of skipped) io.stderr.write(`warning: ${item.place} (${item.object}): ${item.reason}; skipped\n`);
  if (captured.eks) io.stderr.write(eksNote(output, files.map(([file]) => file)));
  return eksProblems.length > 0 || problems.length > 0 || skipped.length > 0 ? 3 : 0;
}

/** What one capture read: the Kubernetes collection, and for an EKS cluster what EKS said about it. */
interface Captured {
  collection: KubeCollection;
  eks?: ClusterSnapshot;
}

function usageError(io: CommandIo, message: string): number {
  io.stderr.write(`error: ${message} (see capture --help)\n`);
  return 2;
}

/** The EKS files written beside `output`: describe-cluster and describe-addon output, as the offline audit reads them. */
function eksFiles(output: string, snapshot: ClusterSnapshot): Array<[string, unknown]> {
  const stem = output.replace(/\.json$/, '');
  return [
    ...(snapshot.eks ? [[`${stem}.eks-cluster.json`, { cluster: snapshot.eks }] as [string, unknown]] : []),
    ...(snapshot.addons ?? []).map((addon): [string, unknown] => [`${stem}.addon-${addon.addonName}.json`, { addon }]),
  ];
}

/** How to audit the capture offline with what EKS said, or that EKS's part was not written. */
function eksNote(output: string | undefined, files: readonly string[]): string {
  if (output === undefined) return 'note: what EKS says of the cluster (describe-cluster, the vpc-cni add-on) is written beside the capture only with --output FILE\n';
  const flags = files.map((file) => `${file.endsWith('.eks-cluster.json') ? '--eks-cluster' : '--eks-addon'} ${file}`);
  return `note: audit it offline with: eks-netpol-auditor audit --kube ${[output, ...flags].join(' ')}\n`;
}
