/**
 * Helpers for the offline loader tests: input files written to a fresh temporary folder, and a warning collector.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A temporary folder for one test file's inputs; `write` returns the path of the file it wrote. */
export interface InputFolder {
  write(name: string, content: string | object): Promise<string>;
  remove(): Promise<void>;
}

/** Creates an {@link InputFolder}; objects are written as pretty JSON, strings as they are. */
export async function inputFolder(): Promise<InputFolder> {
  const directory = await mkdtemp(join(tmpdir(), 'offline-'));
  return {
    async write(name, content) {
      const path = join(directory, name);
      await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
      return path;
    },
    remove: () => rm(directory, { recursive: true, force: true }),
  };
}

/** A `warn` callback that keeps what it was given. */
export function warnings(): { warn: (message: string) => void; lines: string[] } {
  const lines: string[] = [];
  return { warn: (message) => lines.push(message), lines };
}

/** A running pod of `namespace` with `labels`, as `kubectl get -o json` prints it. */
export function pod(namespace: string, name: string, labels: Record<string, string> = {}): object {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, uid: `uid-${namespace}-${name}`, labels },
    spec: { nodeName: 'ip-10-0-1-10.eu-west-1.compute.internal', containers: [{ name: 'app', image: 'nginx:1.27' }] },
    status: { phase: 'Running' },
  };
}

/** A NetworkPolicy of `namespace` with the given `spec`. */
export function networkPolicy(namespace: string, name: string, spec: object): object {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec };
}

/** An untyped `List`, as `kubectl get a,b -o json` prints it. */
export function list(items: unknown[]): object {
  return { apiVersion: 'v1', kind: 'List', items, metadata: { resourceVersion: '' } };
}
