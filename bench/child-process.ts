/**
 * Measurements run in fresh child processes, so that each one's peak RSS is its own and no JIT warm-up or garbage
 * carries over from an earlier one. A child is a TypeScript entry point run through tsx; it prints its result as one
 * JSON line last on stdout ({@link reportResult}), and the parent reads that line back.
 */
import { fork, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/** Options of one child run. */
export interface ChildOptions {
  /** Extra node flags, e.g. `--cpu-prof`. */
  nodeFlags?: string[];
  /** Extra environment variables. */
  env?: Record<string, string>;
}

/** The absolute path of a bench entry point given relative to bench/ (`offline/measure.ts`). */
export function benchScript(relative: string): string {
  return fileURLToPath(new URL(relative, import.meta.url));
}

/**
 * Runs bench script `script` (absolute path) with `args` in a new node process and resolves to the JSON value of the
 * last line it printed. Rejects with one line (the script, its exit status and its last line on stderr) when it fails.
 */
export function runChild<T>(script: string, args: readonly string[] = [], options: ChildOptions = {}): Promise<T> {
  return runNodeForResult<T>(
    [...(options.nodeFlags ?? []), '--import', 'tsx', script, ...args],
    { ...process.env, ...options.env },
    `${script} ${args.join(' ')}`,
  );
}

/**
 * Runs node with `nodeArgs` and exactly `env`, and resolves to the JSON value of the last line it printed on stdout.
 * Rejects with one line naming `label`, the exit status and the child's last line when it fails or prints no JSON.
 */
export function runNodeForResult<T>(nodeArgs: readonly string[], env: NodeJS.ProcessEnv, label: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const last = (text: string) => text.trim().split('\n').at(-1) ?? '';
      if (code !== 0) {
        reject(new Error(`${label} exited with ${code}: ${last(stderr) || last(stdout)}`));
        return;
      }
      try {
        resolve(JSON.parse(last(stdout)) as T);
      } catch {
        reject(new Error(`${label} printed no JSON result: ${last(stdout)}`));
      }
    });
  });
}

/** Prints `result` as the child's result line (see {@link runChild}). */
export function reportResult(result: unknown): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** Peak resident set size of this process so far, in bytes (`maxRSS` is in KiB). */
export function peakRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}

/** A long-running child that talks over IPC: one JSON message per request, one per answer. */
export interface ServiceChild {
  /** Sends `message` and resolves to the child's next message. */
  ask<T>(message: unknown): Promise<T>;
  /** The child's first message (sent once it is ready). */
  ready<T>(): Promise<T>;
  /** Ends the child and waits for it to exit. */
  stop(): Promise<void>;
}

/** Starts bench script `script` as a {@link ServiceChild}; it must `process.send` a first message once ready. */
export function startServiceChild(script: string, args: readonly string[]): ServiceChild {
  const child = fork(script, [...args], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = once(child, 'exit');
  const next = <T>(): Promise<T> =>
    new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`${script} exited with ${code} before answering`));
      child.once('exit', onExit);
      child.once('message', (message) => {
        child.off('exit', onExit);
        resolve(message as T);
      });
    });
  const first = next<unknown>();
  return {
    ready: <T>() => first as Promise<T>,
    ask: <T>(message: unknown) => {
      const answer = next<T>();
      child.send(message as object);
      return answer;
    },
    stop: async () => {
      if (child.exitCode === null) child.kill();
      await exited;
    },
  };
}
