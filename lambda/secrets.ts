/**
 * Redaction: the one place that knows what a secret looks like and which secret values are in use. Credentials
 * can reach any text — a server echoing the request in an error body, an SDK message, an exec plugin's stderr — in
 * any shape, so recognising token shapes is not enough: every token, key and session token the process uses is
 * registered here by value as it is obtained, and every output path (findings, the table, warnings, logs, the alert,
 * the stored objects) passes its text through {@link redact}.
 */

/** What a masked secret reads as. */
export const REDACTED = '<redacted>';

/** Shorter values are not masked by value: they would also match ordinary words (and are no credential anyway). */
const MIN_SECRET_LENGTH = 8;

// Bearer values in any header-like text, EKS tokens, and JWTs (service-account and OIDC tokens), AWS secret
// parameters: the shapes a credential has even when it was never registered (another process's token in a message).
const SECRET_PATTERNS: readonly RegExp[] = [
  /(authorization["']?\s*[:=]\s*["']?)(bearer|basic)?\s*[^\s"',}]+/gi,
  /\bbearer\s+[^\s"',}]+/gi,
  /k8s-aws-v1\.[A-Za-z0-9_-]+/g,
  /eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g,
  /((?:aws_secret_access_key|secretAccessKey|X-Amz-Signature|X-Amz-Security-Token)[=:"\s]+)[^\s"&,;]+/gi,
];

const liveSecrets = new Set<string>();

/**
 * Registers secret values in use (a bearer token, an AWS secret key or session token): from now on {@link redact}
 * masks them wherever they appear. Empty and very short values are ignored.
 */
export function registerSecret(...values: Array<string | undefined>): void {
  for (const value of values) if (value !== undefined && value.length >= MIN_SECRET_LENGTH) liveSecrets.add(value);
}

/**
 * `text` with every registered secret value, and every credential-shaped value, replaced by {@link REDACTED}. Cheap
 * when nothing matches (one substring search per registered value), so whole outputs can go through it.
 */
export function redact(text: string): string {
  let result = text;
  // Longest first: a token that contains another registered value is masked whole.
  for (const secret of [...liveSecrets].sort((a, b) => b.length - a.length)) {
    if (result.includes(secret)) result = result.split(secret).join(REDACTED);
  }
  return SECRET_PATTERNS.reduce(
    (masked, pattern) =>
      masked.replace(pattern, (match, prefix?: unknown) => (typeof prefix === 'string' && match.startsWith(prefix) ? `${prefix}${REDACTED}` : REDACTED)),
    result,
  );
}

/** A `JSON.stringify` replacer (Powertools Logger's `jsonReplacerFn`) that redacts every string it writes. */
export function redactingJsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'string' ? redact(value) : value;
}
