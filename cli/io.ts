/**
 * What a command needs from the process, passed in so commands run the same in tests as from a terminal.
 */
import { redact } from '../lambda/secrets.js';

/** The process's streams and environment, as a command sees them. */
export interface CommandIo {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  env: Record<string, string | undefined>;
  /** What `--kube -` reads; the process's standard input when unset. */
  stdin?: AsyncIterable<Buffer | string>;
}

/**
 * `io` with every line written to stdout and stderr passed through {@link redact}: a credential in use never reaches
 * the terminal, a pipe or a log, whatever message carried it.
 */
export function redactedIo(io: CommandIo): CommandIo {
  const masked = (stream: CommandIo['stdout']): CommandIo['stdout'] => ({
    write: (text: string) => stream.write(redact(text)),
    ...(stream.isTTY === undefined ? {} : { isTTY: stream.isTTY }),
  });
  return { ...io, stdout: masked(io.stdout), stderr: masked(io.stderr) };
}

/** A usage or input problem: printed as one line, exit status 2, never a stack trace. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * The directory the caller's relative paths mean, when it is not the working directory: `npm run --silent audit`
 * runs the command in the package root, and npm keeps where it was typed in `INIT_CWD`. Only when this package's own
 * script of the same name runs `command`: the installed command run from another package's script (or from a test
 * that `npm test` started) keeps its working directory.
 */
export function callerDirectory(env: Record<string, string | undefined>, command: string | undefined): string | undefined {
  const ownScript = env.npm_package_name === 'eks-netpol-auditor' && command !== undefined && env.npm_lifecycle_event === command;
  return ownScript && env.INIT_CWD ? env.INIT_CWD : undefined;
}
