/**
 * What went wrong with one Kubernetes API request, in the audit's terms. The HTTP layer (kube-http.ts) throws a
 * `KubeHttpError` for an answer it refuses (an HTTP error status, a redirect elsewhere, a body too large, cut short or
 * not JSON, the deadline), the socket's own error for a connection that failed (refused, reset, TLS), and the
 * credential source's failure as a {@link KubeCredentialsError}; this module turns each into a {@link KubeFailure}
 * with a one-line detail that never carries a credential.
 */
import { redact } from '../secrets.js';

/** The kinds of failure the collector reacts to differently. */
export const FailureType = {
  /** 401: the credentials were rejected. */
  Unauthorized: 'unauthorized',
  /** 403: the identity may not read this resource. */
  Forbidden: 'forbidden',
  /** 404: no such object, or the resource type is not served. */
  NotFound: 'not-found',
  /** 429: the API server asks to slow down. */
  Throttled: 'throttled',
  /** 5xx: the API server failed. */
  ServerError: 'server-error',
  /** No complete answer within the request timeout. */
  Timeout: 'timeout',
  /** The connection could not be made or was lost (refused, reset, DNS). */
  Network: 'network',
  /** The server's certificate did not verify against the cluster's CA. */
  Tls: 'tls',
  /** The credential source (token provider, exec plugin, kubeconfig user) failed before the request was sent. */
  Credentials: 'credentials',
  /** Any other answer the API server gave (400, 410, …). */
  Rejected: 'rejected',
  /** The body ended before it was complete (connection closed, fewer bytes than `Content-Length`). */
  Truncated: 'truncated',
  /** The body was larger than the limit and was abandoned. */
  TooLarge: 'too-large',
  /** A 2xx answer that is not what was asked for: not JSON, a `Status`, a list of another kind, a list that never ends. */
  Invalid: 'invalid',
  /** A redirect to another origin, not followed. */
  Redirect: 'redirect',
} as const;
export type FailureType = (typeof FailureType)[keyof typeof FailureType];

/** One failed request, classified. */
export interface KubeFailure {
  type: FailureType;
  /** The HTTP status, when the server answered. */
  status?: number;
  /** The server's `Retry-After`, in milliseconds. */
  retryAfterMs?: number;
  /** A short description safe to show (an error code, or the server's message), already redacted. */
  detail: string;
}

/** Failures worth another attempt: the same request may well succeed a moment later. */
const RETRYABLE: ReadonlySet<FailureType> = new Set([
  FailureType.Throttled,
  FailureType.ServerError,
  FailureType.Timeout,
  FailureType.Network,
  FailureType.Truncated,
]);

/** True when a request that failed this way should be retried. */
export function isRetryable(failure: KubeFailure): boolean {
  return RETRYABLE.has(failure.type);
}

/** Thrown by the credential adapter so that a failing token source is told apart from a failing server. */
export class KubeCredentialsError extends Error {
  override readonly name = 'KubeCredentialsError';
}

// Certificate problems reported by Node's TLS layer: codes like UNABLE_TO_VERIFY_LEAF_SIGNATURE, CERT_HAS_EXPIRED,
// DEPTH_ZERO_SELF_SIGNED_CERT, SELF_SIGNED_CERT_IN_CHAIN, ERR_TLS_CERT_ALTNAME_INVALID.
const TLS_CODE = /CERT|SIGNATURE|SELF_SIGNED|ERR_TLS|ERR_SSL/;
const MAX_DETAIL = 200;
const MAX_RETRY_AFTER_MS = 60_000;

/** An answer the HTTP layer refused, already classified (kube-http.ts throws it). */
export class KubeHttpError extends Error {
  override readonly name = 'KubeHttpError';

  constructor(readonly failure: KubeFailure) {
    super(`${failure.type}: ${failure.detail}`);
  }
}

/**
 * Classifies what a request threw. Programming errors (`TypeError`, `RangeError`, `ReferenceError`) are rethrown:
 * they are bugs, not cluster conditions.
 */
export function classifyKubeError(error: unknown): KubeFailure {
  if (error instanceof KubeHttpError) return { ...error.failure, detail: oneLine(error.failure.detail) };
  if (error instanceof KubeCredentialsError) return { type: FailureType.Credentials, detail: redact(error.message) };
  if (error instanceof TypeError || error instanceof RangeError || error instanceof ReferenceError) throw error;
  const { code, message } = error as { code?: string; message?: string };
  if (typeof code === 'string') {
    const type = TLS_CODE.test(code) ? FailureType.Tls : FailureType.Network;
    return { type, detail: code };
  }
  return { type: FailureType.Rejected, detail: oneLine(String(message ?? error)) };
}

/** The failure of an HTTP error answer: its status, its `Status` message, and `Retry-After` where it matters. */
export function httpFailure(status: number, headers: Record<string, string>, body: unknown): KubeFailure {
  const detail = statusMessage(body) ?? `HTTP ${status}`;
  if (status === 401) return { type: FailureType.Unauthorized, status, detail };
  if (status === 403) return { type: FailureType.Forbidden, status, detail };
  if (status === 404) return { type: FailureType.NotFound, status, detail };
  if (status === 429) return { type: FailureType.Throttled, status, detail, retryAfterMs: retryAfterMs(headers['retry-after']) };
  if (status >= 500) return { type: FailureType.ServerError, status, detail, retryAfterMs: retryAfterMs(headers['retry-after']) };
  return { type: FailureType.Rejected, status, detail };
}

/** The `message` of a Kubernetes `Status` body (as text), redacted and shortened. */
function statusMessage(body: unknown): string | undefined {
  if (typeof body !== 'string' || body === '') return undefined;
  try {
    const parsed = JSON.parse(body) as { message?: unknown };
    return typeof parsed.message === 'string' ? oneLine(parsed.message) : undefined;
  } catch {
    return undefined;
  }
}

/** `Retry-After` as seconds or an HTTP date, capped so a server cannot hold an audit for long. */
function retryAfterMs(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - Date.now();
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS) : undefined;
}

function oneLine(text: string): string {
  const line = redact(text).replace(/\s+/g, ' ').trim();
  return line.length > MAX_DETAIL ? `${line.slice(0, MAX_DETAIL - 1)}…` : line;
}
