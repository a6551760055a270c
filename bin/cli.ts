#!/usr/bin/env node
/**
 * The command line: `audit` (offline or live) and `token` (an EKS ExecCredential, like `aws eks get-token`).
 * Only dispatch lives here; each command is a module under cli/ that returns its exit status.
 */
import { runAuditCommand } from '../cli/audit-command.js';
import { runTokenCommand } from '../cli/token-command.js';
import type { CommandIo } from '../cli/io.js';

const COMMANDS: Record<string, (args: string[], io: CommandIo) => Promise<number>> = {
  audit: runAuditCommand,
  token: runTokenCommand,
};

// `audit … | head` closes the pipe early: that is the reader's choice, not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

const [name, ...args] = process.argv.slice(2);
const io: CommandIo = { stdout: process.stdout, stderr: process.stderr, env: process.env };
const command = name === undefined ? undefined : COMMANDS[name];
if (!command) {
  process.stderr.write(`usage: cli.ts <${Object.keys(COMMANDS).join('|')}> [options]\n`);
  process.exitCode = 2;
} else {
  try {
    process.exitCode = await command(args, io);
  } catch (error) {
    // Last resort: commands report their own errors; anything escaping is still one line, never a stack trace.
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  }
}
