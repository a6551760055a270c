/**
 * What a command needs from the process, passed in so commands run the same in tests as from a terminal.
 */
export interface CommandIo {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  env: Record<string, string | undefined>;
}

/** A usage or input problem: printed as one line, exit status 2, never a stack trace. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
