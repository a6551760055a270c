/**
 * Deadlines of a live audit: each cluster has its own, and the run has one (the Lambda's remaining time minus a
 * margin, or `--timeout` on the command line). A cluster not finished in time is abandoned — its requests aborted,
 * its late result dropped, so nothing it does afterwards can reach the findings or the store — and becomes UNKNOWN
 * "not finished within …"; the other clusters are unaffected.
 */

/** A cluster's audit may take this long unless the configuration says otherwise (a healthy one takes seconds). */
export const DEFAULT_CLUSTER_TIMEOUT_MS = 180_000;

/**
 * Time kept back from the Lambda's remaining time when the run's deadline is set: enough to store the findings of the
 * clusters cut off at the deadline (S3 retries included) and to publish the alert before Lambda stops the function.
 * The configuration refuses a per-cluster deadline that does not fit below the function's timeout less this margin.
 */
export const RUN_MARGIN_MS = 30_000;

/** The time limits of a live audit. */
export interface AuditDeadline {
  /** How long one cluster's audit may take. */
  clusterMs: number;
  /** When the run must stop auditing (epoch milliseconds); no cluster runs past it. Absent: no run deadline. */
  runEndsAt?: number;
}

/**
 * The deadlines of a Lambda invocation: each cluster's, and the run's — what Lambda leaves of the invocation
 * (`getRemainingTimeInMillis`), less `marginMs` to store and alert. Without it (a direct call) the run has none.
 */
export function invocationDeadline(
  clusterMs: number,
  context: { getRemainingTimeInMillis?(): number } | undefined,
  marginMs: number = RUN_MARGIN_MS,
): AuditDeadline {
  const remaining = context?.getRemainingTimeInMillis?.();
  return remaining === undefined ? { clusterMs } : { clusterMs, runEndsAt: Date.now() + remaining - marginMs };
}

/** How long a cluster starting `now` may run, and the words for the limit that applies ("180 s, the cluster deadline"). */
export function clusterAllowance(deadline: AuditDeadline, now: number): { ms: number; limit: string } {
  const runLeft = deadline.runEndsAt === undefined ? Infinity : deadline.runEndsAt - now;
  if (runLeft < deadline.clusterMs) return { ms: Math.max(0, runLeft), limit: `${seconds(Math.max(0, runLeft))}, the time left to the run` };
  return { ms: deadline.clusterMs, limit: `${seconds(deadline.clusterMs)}, the per-cluster deadline` };
}

/** The outcome of work raced against a deadline. */
export type Deadlined<T> = { finished: true; value: T } | { finished: false };

/**
 * Runs `work` for at most `ms`. When the time is up first, `work`'s signal is aborted and its eventual result (or
 * rejection) is dropped: the caller gets `{ finished: false }` at once. A rejection of `work` in time is passed on.
 */
export async function withinDeadline<T>(ms: number, work: (signal: AbortSignal) => Promise<T>): Promise<Deadlined<T>> {
  const controller = new AbortController();
  if (ms <= 0) {
    controller.abort();
    return { finished: false };
  }
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<Deadlined<T>>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve({ finished: false });
    }, ms);
  });
  const running = work(controller.signal);
  // The abandoned work may still settle later; a rejection then must not become an unhandled one.
  running.catch(() => undefined);
  try {
    return await Promise.race([running.then((value): Deadlined<T> => ({ finished: true, value })), expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** `1.5 s`, `180 s`: a duration for a message, to a tenth of a second. */
function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}
