/**
 * `eks-netpol-auditor capture`: reads a live cluster (a kubeconfig context) exactly as the live audit does and
 * writes everything the audit reads in the offline format (lambda/collect/capture.ts), including which policy APIs
 * the cluster serves, so `audit --kube` of the file gives the verdicts of the live audit. Exit status: 0 complete,
 * 3 some kind could not be read (the file says so by leaving it out; the reasons go to stderr), 2 bad usage.
 */
import { writeFile } from 'node:fs/promises';
import { captureDocument } from '../lambda/collect/capture.js';
import { collectKubeInventory } from '../lambda/collect/kubernetes.js';
import { KubeconfigError, loadKubeConfig } from '../lambda/live/kubeconfig-context.js';
import type { CommandIo } from './io.js';

/** The usage text of `capture`. */
export const CAPTURE_USAGE = `usage: eks-netpol-auditor capture [--kubeconfig FILE] [--context NAME] [--output FILE]

Reads the cluster of a kubeconfig context (default: $KUBECONFIG or ~/.kube/config, current context) and writes what
the audit reads as one JSON file for \`audit --kube FILE\`: a typed list per kind, and which policy APIs the cluster
serves. --output FILE writes it there (default: standard output).
Exit status: 0 complete; 3 some kind could not be read (named on stderr); 2 bad usage.
`;

const VALUE_FLAGS = new Set(['--kubeconfig', '--context', '--output']);

/** Runs `capture` with `args`; returns the exit status. */
export async function runCaptureCommand(args: string[], io: CommandIo): Promise<number> {
  const flags = new Map<string, string>();
  for (let index = 0; index < args.length; index += 1) {
    const flag = args[index] as string;
    if (flag === '--help' || flag === '-h') {
      io.stdout.write(CAPTURE_USAGE);
      return 0;
    }
    const value = args[index + 1];
    if (!VALUE_FLAGS.has(flag) || value === undefined || flags.has(flag)) {
      io.stderr.write(`error: ${VALUE_FLAGS.has(flag) ? `${flag} needs one value` : `unknown option "${flag.slice(0, 80)}"`} (see capture --help)\n`);
      return 2;
    }
    flags.set(flag, value);
    index += 1;
  }
  let kubeConfig;
  try {
    kubeConfig = loadKubeConfig({ kubeconfig: flags.get('--kubeconfig'), context: flags.get('--context'), env: io.env });
  } catch (error) {
    if (!(error instanceof KubeconfigError)) throw error;
    io.stderr.write(`error: ${error.message}\n`);
    return 2;
  }
  const collection = await collectKubeInventory(kubeConfig);
  const text = `${JSON.stringify(captureDocument(collection))}\n`;
  const output = flags.get('--output');
  if (output === undefined) io.stdout.write(text);
  else {
    try {
      await writeFile(output, text);
    } catch (error) {
      io.stderr.write(`error: ${output}: cannot be written (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})\n`);
      return 2;
    }
  }
  for (const problem of collection.problems) io.stderr.write(`warning: not captured: ${problem.kind}: ${problem.reason}\n`);
  for (const skipped of collection.skipped) io.stderr.write(`warning: ${skipped.place} (${skipped.object}): ${skipped.reason}; skipped\n`);
  return collection.problems.length > 0 || collection.skipped.length > 0 ? 3 : 0;
}
