/**
 * The HTTP layer of Kubernetes collection: one GET of a path of the API server, answered with its JSON, over
 * node:https with the kubeconfig's credentials (client-node applies the CA, client certificate, token or exec plugin
 * and proxy). It is written for servers and proxies that misbehave:
 * - the whole exchange has a deadline, and every awaited read is a socket or timer that keeps the event loop alive;
 * - a body larger than the limit is abandoned as it streams in (its size never reaches memory), and a body shorter
 *   than its `Content-Length`, or a connection closed mid-body, is an error, never a short answer;
 * - a redirect is never followed to another origin (scheme, host or port), so credentials go only where the
 *   kubeconfig says; a same-origin redirect is followed a few times;
 * - a 2xx body that is not JSON is an error naming what came instead.
 * Every failure is thrown as a `KubeHttpError` carrying a classified `KubeFailure`, or as the socket's own
 * error (refused, reset, TLS), which kube-errors.ts classifies.
 */
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { redact, registerSecret } from '../secrets.js';
import { FailureType, KubeCredentialsError, KubeHttpError, httpFailure } from './kube-errors.js';

/** Limits of one request. */
export interface KubeHttpLimits {
  /** Deadline of one request, body included. */
  timeoutMs: number;
  /** The largest body read; a larger one is abandoned as it streams in. */
  maxBodyBytes: number;
  /** Aborts every request in flight (the cluster's deadline passed). */
  signal?: AbortSignal;
}

/** Same-origin redirects followed before giving up; API servers do not redirect, so this only absorbs proxies. */
const MAX_REDIRECTS = 3;
/** The part of an error body kept for its `Status` message. */
const MAX_ERROR_BODY = 64 * 1024;

/** GETs JSON from one API server, counting requests; shared by every read of one collection. */
export class KubeHttp {
  private sent = 0;
  private readonly origin: string;

  constructor(
    private readonly kubeConfig: KubeConfig,
    private readonly server: string,
    private readonly limits: KubeHttpLimits,
  ) {
    this.origin = new URL(server).origin;
  }

  /** Every request sent so far, retries and redirects included. */
  get requests(): number {
    return this.sent;
  }

  /** The limits requests run with. */
  get limit(): KubeHttpLimits {
    return this.limits;
  }

  /**
   * The parsed JSON body of `GET path?query` (path relative to the server URL, which may itself carry a path prefix).
   * Throws `KubeHttpError` for an HTTP error status, a redirect elsewhere, a body too large, cut short or not
   * JSON, or the deadline; {@link KubeCredentialsError} when the credentials cannot be obtained.
   */
  async getJson(path: string, query: Record<string, string | undefined> = {}): Promise<unknown> {
    const url = new URL(this.server.replace(/\/+$/, '') + path);
    for (const [name, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(name, value);
    let target = url;
    for (let hops = 0; ; hops += 1) {
      const answer = await this.exchange(target);
      if (answer.kind === 'body') return parseJson(answer.body, answer.contentType, path);
      const next = new URL(answer.location, target);
      if (next.origin !== this.origin) {
        throw new KubeHttpError({
          type: FailureType.Redirect,
          detail: `the API server redirected GET ${path} to ${redact(next.origin)}, another origin than ${this.origin}: not followed, so the credentials stay with the cluster`,
        });
      }
      if (hops >= MAX_REDIRECTS) {
        throw new KubeHttpError({ type: FailureType.Redirect, detail: `GET ${path} was redirected more than ${MAX_REDIRECTS} times` });
      }
      target = next;
    }
  }

  /** One request and its whole answer, within the deadline. */
  private async exchange(url: URL): Promise<Answer> {
    const options: https.RequestOptions = { method: 'GET', headers: { Accept: 'application/json' } };
    try {
      await this.kubeConfig.applyToHTTPSOptions(options);
    } catch (error) {
      throw new KubeCredentialsError(redact(error instanceof Error ? error.message : String(error)));
    }
    registerCredentials(options);
    this.sent += 1;
    const transport = url.protocol === 'http:' ? http : https;
    return new Promise<Answer>((resolve, reject) => {
      let settled = false;
      const finish = (outcome: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        outcome();
      };
      const request = transport.request(url, options, (response) => {
        readAnswer(response, this.limits.maxBodyBytes, url.pathname).then(
          (answer) => finish(() => resolve(answer)),
          (error: unknown) => finish(() => reject(error)),
        );
      });
      const abandon = (detail: string): void => {
        finish(() => reject(new KubeHttpError({ type: FailureType.Timeout, detail })));
        request.destroy();
      };
      const deadline = setTimeout(() => abandon('request timed out'), this.limits.timeoutMs);
      const { signal } = this.limits;
      const onAbort = (): void => abandon('the audit of this cluster ran out of time');
      signal?.addEventListener('abort', onAbort, { once: true });
      request.on('close', () => signal?.removeEventListener('abort', onAbort));
      request.on('error', (error) => finish(() => reject(error)));
      if (signal?.aborted) onAbort();
      request.end();
    });
  }
}

type Answer = { kind: 'body'; body: Buffer; contentType: string } | { kind: 'redirect'; location: string };

/** Reads a response: its body within `maxBytes` for a 2xx, its location for a redirect, a failure for the rest. */
async function readAnswer(response: IncomingMessage, maxBytes: number, path: string): Promise<Answer> {
  const status = response.statusCode ?? 0;
  const location = response.headers.location;
  if (status >= 300 && status < 400 && location) {
    response.resume();
    return { kind: 'redirect', location };
  }
  const declared = Number(response.headers['content-length']);
  const ok = status >= 200 && status < 300;
  const limit = ok ? maxBytes : MAX_ERROR_BODY;
  if (ok && Number.isFinite(declared) && declared > maxBytes) {
    response.destroy();
    throw tooLarge(path, maxBytes, `it announced ${declared} bytes`);
  }
  const body = await readBody(response, limit, ok, path);
  if (Number.isFinite(declared) && body.length < declared && (ok || body.length < limit)) {
    throw new KubeHttpError({ type: FailureType.Truncated, detail: `the answer was cut short: ${body.length} of ${declared} bytes` });
  }
  if (!ok) throw new KubeHttpError(httpFailure(status, headerMap(response), body.toString('utf8')));
  return { kind: 'body', body, contentType: String(response.headers['content-type'] ?? '') };
}

/**
 * The body, read chunk by chunk. Past `limit` bytes a 2xx body is abandoned (the connection closed) and an error
 * body simply cut; a connection that ends before the body is complete rejects.
 */
function readBody(response: IncomingMessage, limit: number, abandonOverLimit: boolean, path: string): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    let done = false;
    response.on('data', (chunk: Buffer) => {
      if (done) return;
      if (length + chunk.length > limit) {
        if (abandonOverLimit) {
          done = true;
          response.destroy();
          reject(tooLarge(path, limit, `more than ${limit} bytes arrived`));
          return;
        }
        chunks.push(chunk.subarray(0, limit - length));
        length = limit;
        done = true;
        response.destroy();
        resolve(Buffer.concat(chunks, length));
        return;
      }
      chunks.push(chunk);
      length += chunk.length;
    });
    response.on('end', () => {
      if (done) return;
      done = true;
      resolve(Buffer.concat(chunks, length));
    });
    const cut = (): void => {
      if (done) return;
      done = true;
      reject(new KubeHttpError({ type: FailureType.Truncated, detail: `the connection closed after ${length} bytes of the answer` }));
    };
    response.on('aborted', cut);
    response.on('error', cut);
    response.on('close', cut);
  });
}

function tooLarge(path: string, limit: number, what: string): KubeHttpError {
  return new KubeHttpError({
    type: FailureType.TooLarge,
    detail: `the answer to GET ${path} is larger than the ${mebibytes(limit)} limit (${what}); abandoned`,
  });
}

function mebibytes(bytes: number): string {
  return bytes >= 2 ** 20 ? `${Math.round((bytes / 2 ** 20) * 10) / 10} MiB` : `${bytes}-byte`;
}

function headerMap(response: IncomingMessage): Record<string, string> {
  return Object.fromEntries(Object.entries(response.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : String(value)]));
}

/** A 2xx body as JSON; anything else (an HTML login page of a proxy, plain text) names what it was. */
function parseJson(body: Buffer, contentType: string, path: string): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    const type = contentType.split(';')[0]?.trim() || 'no content type';
    throw new KubeHttpError({ type: FailureType.Invalid, detail: `the answer to GET ${path} is not JSON (${type}, ${body.length} bytes)` });
  }
}

/**
 * Whatever supplied them (a kubeconfig token or password, an exec plugin, an EKS token), the credentials a request
 * carries are now in use: registered, so no output can show them.
 */
function registerCredentials(options: https.RequestOptions): void {
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (name.toLowerCase() === 'authorization' && typeof value === 'string') registerSecret(/^(?:Bearer|Basic)\s+(.+)$/i.exec(value)?.[1]);
  }
  if (typeof options.auth === 'string') registerSecret(options.auth.slice(options.auth.indexOf(':') + 1));
}
