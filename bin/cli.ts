#!/usr/bin/env node
/**
 * The command line, `eks-netpol-auditor <command>`: `audit` (offline or live) and `token` (an EKS ExecCredential,
 * like `aws eks get-token`). Only dispatch lives here; each command is a module under cli/ that returns its exit
 * status, loaded only when it runs, so `--help`, `--version` and `token` start without the rest.
 */
import { readFileSync } from 'node:fs';
import type { CommandIo } from '../cli/io.js';
import { callerDirectory } from '../cli/io.js';

type Command = (args: string[], io: CommandIo) => Promise<number>;

/** The commands: adding one is one row. */
const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  audit: {
    summary: 'audit NetworkPolicy enforcement and coverage (offline files, a kubeconfig context or EKS clusters)',
    load: async () => {
      // A capture streams through the young generation: keep it small (cli/young-generation.ts has the figures).
      (await import('../cli/young-generation.js')).capYoungGeneration();
      return (await import('../cli/audit-command.js')).runAuditCommand;
    },
  },
  capture: {
    summary: 'write what the audit reads from a live cluster, and which policy APIs it serves, for `audit --kube`',
    load: async () => (await import('../cli/capture-command.js')).runCaptureCommand,
  },
  token: {
    summary: 'print an EKS token as a kubectl ExecCredential, as `aws eks get-token` does',
    load: async () => (await import('../cli/token-command.js')).runTokenCommand,
  },
};

// `audit … | head` closes the pipe early: that is the reader's choice, not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

const [name, ...args] = process.argv.slice(2);
const directory = callerDirectory(process.env, name);
if (directory !== undefined) process.chdir(directory);
const io: CommandIo = { stdout: process.stdout, stderr: process.stderr, env: process.env };
if (name === '--version' || name === '-v') {
  process.stdout.write(`${packageVersion()}\n`);
} else if (name === '--help' || name === '-h') {
  process.stdout.write(usage());
} else if (name === undefined || !Object.hasOwn(COMMANDS, name)) {
  process.stderr.write(name === undefined ? usage() : `error: unknown command "${name.slice(0, 80)}" (see --help)\n`);
  process.exitCode = 2;
} else {
  try {
    const command = await COMMANDS[name]!.load();
    process.exitCode = await command(args, io);
  } catch (error) {
    // Last resort: commands report their own errors; anything escaping is still one line, never a stack trace.
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  }
}

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((command) => command.length)) + 2;
  const rows = Object.entries(COMMANDS).map(([command, { summary }]) => `  ${command.padEnd(width)}${summary}\n`);
  return `usage: eks-netpol-auditor <command> [options]

Commands:
${rows.join('')}
  eks-netpol-auditor <command> --help   the command's options
  eks-netpol-auditor --version          the version
`;
}

// The same relative path from bin/cli.ts and from the built dist/cli.js: package.json is always beside both folders.
function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}
