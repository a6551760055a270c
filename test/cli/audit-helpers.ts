/**
 * Helpers for the `audit` command tests: a captured {@link CommandIo}, the example's paths, a temporary folder per
 * test file, and captures derived from the example (a few of its namespaces) written to it.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandIo } from '../../cli/io.js';

/** The example capture the README's quickstart audits. */
export const EXAMPLE = {
  kube: 'examples/shop-eu/cluster.json',
  eksCluster: 'examples/shop-eu/eks-cluster.json',
  eksAddon: 'examples/shop-eu/addon-vpc-cni.json',
} as const;

/** The README's quickstart flags. */
export const EXAMPLE_FLAGS = ['--kube', EXAMPLE.kube, '--eks-cluster', EXAMPLE.eksCluster, '--eks-addon', EXAMPLE.eksAddon];

/** A CommandIo whose output is kept; `tty` makes stdout claim to be a terminal. */
export function capturedIo(options: { tty?: boolean; env?: Record<string, string | undefined> } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CommandIo = {
    stdout: { write: (text: string) => out.push(text), isTTY: options.tty ?? false },
    stderr: { write: (text: string) => err.push(text), isTTY: false },
    env: options.env ?? {},
  };
  return { io, stdout: () => out.join(''), stderr: () => err.join('') };
}

/**
 * A temporary folder for the tests of one file: created before they run, removed after. Call it at the top level of
 * the test file; the function it returns gives the folder's path once the tests run.
 */
export function temporaryFolderForTests(): () => string {
  let folder = '';
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'audit-'));
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));
  return () => folder;
}

/**
 * The example capture reduced to kube-system, its cluster-scoped objects and `namespaces`, written as a List into
 * `folder`; returns the file's path.
 */
export async function exampleSubset(folder: string, namespaces: string[]): Promise<string> {
  const capture = JSON.parse(readFileSync(EXAMPLE.kube, 'utf8')) as { items: Array<{ kind: string; metadata: { name: string; namespace?: string } }> };
  const kept = new Set(['kube-system', ...namespaces]);
  const items = capture.items.filter(({ kind, metadata }) =>
    kind === 'Namespace' ? kept.has(metadata.name) : metadata.namespace === undefined || kept.has(metadata.namespace),
  );
  const path = join(folder, `${namespaces.join('-')}.json`);
  await writeFile(path, JSON.stringify({ ...capture, items }));
  return path;
}

/** What a child process of the command line left: its exit status and its output. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `bin/cli.ts audit …args` as a child process, as a user would, with exactly `env` (plus PATH) and killed after
 * `timeoutMs`: a command that hangs fails its test instead of the suite.
 */
export async function runCliAudit(args: string[], env: Record<string, string>, timeoutMs = 30_000): Promise<CliRun> {
  const { execFile } = await import('node:child_process');
  return new Promise((resolve) => {
    execFile(
      'npx',
      ['tsx', 'bin/cli.ts', 'audit', ...args],
      { env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env }, timeout: timeoutMs, killSignal: 'SIGKILL' },
      (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: unknown }).code ?? -1) : 0, stdout, stderr }),
    );
  });
}
