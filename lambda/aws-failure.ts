/**
 * How a failed AWS SDK call is told to a user: one line with the error's name, the first line of its message and how
 * many attempts the SDK's retries made. Request details, headers and credentials are never part of it.
 */

/** One line describing an AWS SDK failure, e.g. `SlowDown: Please reduce your request rate. (after 5 attempts)`. */
export function awsFailureText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const message = error.message.split('\n')[0] ?? '';
  const head = message && message !== error.name ? `${error.name}: ${message}` : error.name;
  const attempts = sdkMetadata(error)?.attempts;
  return attempts && attempts > 1 ? `${head} (after ${attempts} attempts)` : head;
}

/** The SDK's response metadata of a failed call (HTTP status, attempts), when the error carries it. */
export function sdkMetadata(error: unknown): { httpStatusCode?: number; attempts?: number } | undefined {
  return (error as { $metadata?: { httpStatusCode?: number; attempts?: number } } | undefined)?.$metadata;
}
