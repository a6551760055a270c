/**
 * A real S3-compatible server (s3rver) on 127.0.0.1 for tests, with one bucket configured. It runs in a child process
 * started with `--openssl-legacy-provider`: s3rver's paginated listing signs continuation tokens with a cipher that
 * Node's default OpenSSL 3 provider refuses.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { S3ClientConfig } from '@aws-sdk/client-s3';

/** A running s3rver: its endpoint, the bucket it serves, client settings that reach it, and how to stop it. */
export interface S3TestServer {
  endpoint: string;
  bucket: string;
  /** S3 client settings for this server: path-style addressing, dummy credentials, checksums only when required. */
  clientConfig: S3ClientConfig;
  stop(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 10_000;

/** Starts s3rver on a free port of 127.0.0.1 with a fresh data folder and bucket `bucket`; `stop()` removes both. */
export async function startS3Server(bucket = 'findings-test'): Promise<S3TestServer> {
  const directory = await mkdtemp(join(tmpdir(), 's3rver-'));
  const script = join(dirname(createRequire(import.meta.url).resolve('s3rver/package.json')), 'bin', 's3rver.js');
  const child = spawn(
    process.execPath,
    [
      '--openssl-legacy-provider',
      script,
      ...['--directory', directory, '--port', '0', '--address', '127.0.0.1', '--silent', '--configure-bucket', bucket],
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } },
  );
  try {
    const port = await listeningPort(child);
    const endpoint = `http://127.0.0.1:${port}`;
    return {
      endpoint,
      bucket,
      clientConfig: {
        endpoint,
        region: 'us-east-1',
        forcePathStyle: true,
        requestChecksumCalculation: 'WHEN_REQUIRED',
        credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      },
      stop: async () => {
        await stopChild(child);
        await rm(directory, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await stopChild(child);
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
}

/** Reads the port from s3rver's "S3rver listening on <address>:<port>" line. */
function listeningPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`s3rver did not start within ${STARTUP_TIMEOUT_MS} ms: ${output}`)),
      STARTUP_TIMEOUT_MS,
    );
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /listening on [^\s:]+:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`s3rver exited with code ${code} before listening: ${output}`));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
