/**
 * What the handler was asked to do: a scheduled run (an EventBridge "Scheduled Event", from a rule or the
 * Scheduler), or a manual one (`{ "clusters": [...], "regions": [...] }`, both optional). Each gets a run id that
 * is the same on every retry of the same invocation, so a retried run overwrites its stored objects.
 */
import { createHash } from 'node:crypto';
import { CLUSTER_NAME, REGION_NAME } from '../names.js';

/** How the run was started. */
export const InvocationKind = { Scheduled: 'scheduled', Manual: 'manual' } as const;
export type InvocationKind = (typeof InvocationKind)[keyof typeof InvocationKind];

/** A validated invocation. */
export interface Invocation {
  kind: InvocationKind;
  runId: string;
  /** Only these clusters (wherever found in the regions); absent: every cluster passing the configured filters. */
  clusters?: string[];
  /** These regions instead of the configured ones. */
  regions?: string[];
  /**
   * A scheduled run's event time: the same on every retry, so it (not the clock) dates the run's stored objects. A
   * manual run has none; the handler records its first attempt's start instead (report/run-start.ts).
   */
  time?: Date;
}

/** The event has a shape the handler does not accept; the message says what is wrong, in one line. */
export class InvocationError extends Error {
  override readonly name = 'InvocationError';
}

const SCHEDULED_SOURCES = new Set(['aws.events', 'aws.scheduler']);
const MANUAL_KEYS = new Set(['clusters', 'regions']);

/**
 * Validates `event`. Scheduled: run id from the event's time and id (`20250602T060000Z-1a2b3c4d`, sortable by
 * time). Manual: run id from the Lambda request id (`manual-<request id>`), which Lambda keeps across the retries
 * of an asynchronous invocation. Throws {@link InvocationError} for anything else.
 */
export function parseInvocation(event: unknown, requestId: string): Invocation {
  if (!isRecord(event)) throw new InvocationError(`the event must be a JSON object, got ${describe(event)}`);
  if ('detail-type' in event || 'source' in event) return scheduledInvocation(event);
  const unknownKey = Object.keys(event).find((key) => !MANUAL_KEYS.has(key));
  if (unknownKey !== undefined) {
    throw new InvocationError(`the event has unknown field "${unknownKey.slice(0, 40)}": a manual run takes only "clusters" and "regions"`);
  }
  const clusters = names(event, 'clusters', CLUSTER_NAME, 'an EKS cluster name');
  const regions = names(event, 'regions', REGION_NAME, 'an AWS region name');
  return {
    kind: InvocationKind.Manual,
    runId: `manual-${requestId}`,
    ...(clusters ? { clusters } : {}),
    ...(regions ? { regions } : {}),
  };
}

/** `20250602T060000Z-1a2b3c4d`: the event time to the second, then a digest of the event id (stable on retries). */
export function scheduledRunId(eventId: string, time: Date): string {
  const stamp = time.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
  return `${stamp}-${createHash('sha256').update(eventId).digest('hex').slice(0, 8)}`;
}

function scheduledInvocation(event: Record<string, unknown>): Invocation {
  const { source, id, time } = event;
  const detailType = event['detail-type'];
  if (detailType !== 'Scheduled Event' || typeof source !== 'string' || !SCHEDULED_SOURCES.has(source)) {
    throw new InvocationError(
      `unsupported EventBridge event (source ${describe(source)}, detail-type ${describe(detailType)}): expected a "Scheduled Event" from aws.events or aws.scheduler`,
    );
  }
  const at = typeof time === 'string' ? new Date(time) : undefined;
  if (typeof id !== 'string' || id === '' || !at || Number.isNaN(at.getTime())) {
    throw new InvocationError('the scheduled event needs a string "id" and an ISO-8601 "time"');
  }
  return { kind: InvocationKind.Scheduled, runId: scheduledRunId(id, at), time: at };
}

function names(event: Record<string, unknown>, field: string, pattern: RegExp, what: string): string[] | undefined {
  const value = event[field];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0) throw new InvocationError(`"${field}" must be a non-empty array of strings`);
  const bad = value.find((item) => typeof item !== 'string' || !pattern.test(item));
  if (bad !== undefined) throw new InvocationError(`"${field}" has ${describe(bad)}, which is not ${what}`);
  return [...new Set(value as string[])];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short, one-line rendering of a value for an error message. */
function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 60));
  if (Array.isArray(value)) return 'an array';
  return value === null ? 'null' : typeof value;
}
