/**
 * When a manual run started, recorded once in the findings bucket. A scheduled run is dated by its event's time, the
 * same on every retry; a manual invocation carries no time, and Lambda retries an asynchronous one under the same
 * request id — hence the same run id — possibly after midnight UTC. The first attempt records its start; every retry
 * reads it back, so the run's objects keep their partition date and a retry overwrites them instead of filing a
 * second copy under the next day. The record lives beside the cluster state objects, outside the Glue table.
 */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { awsFailureText } from '../aws-failure.js';
import { STATE_PREFIX, readBytes } from './run-state.js';
import { safeKeyPart } from './store-layout.js';

/** `state/runs/<run id>.json`: account ids are digits or `_`, so no cluster state object is ever named so. */
export function runStartKey(runId: string): string {
  return `${STATE_PREFIX}/runs/${safeKeyPart(runId)}.json`;
}

/**
 * The start of run `runId`: the one an earlier attempt recorded, else `now`, recorded for the attempts that may
 * follow. Throws one line naming the object when it cannot be read, decoded or written.
 */
export async function recordedRunStart(s3: S3Client, bucket: string, runId: string, now: Date): Promise<Date> {
  const key = runStartKey(runId);
  const recorded = await readBytes(s3, bucket, key);
  if (recorded !== undefined) return parseRunStart(recorded, `s3://${bucket}/${key}`, runId);
  const body = JSON.stringify({ run_id: runId, started_at: now.toISOString() });
  try {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json' }));
  } catch (error) {
    throw new Error(`cannot write s3://${bucket}/${key}: ${awsFailureText(error)}`);
  }
  return now;
}

function parseRunStart(bytes: Buffer, where: string, runId: string): Date {
  let value: { run_id?: unknown; started_at?: unknown } | null;
  try {
    value = JSON.parse(bytes.toString('utf8')) as typeof value;
  } catch {
    throw new Error(`${where} is not JSON`);
  }
  const started = typeof value?.started_at === 'string' ? new Date(value.started_at) : undefined;
  if (value?.run_id !== runId || !started || Number.isNaN(started.getTime())) {
    throw new Error(`${where} is not the start of run ${runId} (run_id and an ISO-8601 started_at)`);
  }
  return started;
}
