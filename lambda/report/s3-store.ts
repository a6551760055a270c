/**
 * The findings store in S3: one gzipped JSON Lines object per cluster per run, at the keys of the store layout, which
 * the Glue table reads through Athena. Keys are deterministic, so a retried run overwrites its objects.
 */
import { PutObjectCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import type { Finding } from '../audit/finding.js';
import { awsFailureText } from '../aws-failure.js';
import { findingsObjects } from './jsonl.js';

/**
 * Attempts per PutObject (the first try included) in the SDK's `standard` retry mode: `SlowDown` (503) and other
 * throttling or 5xx answers are retried with exponential backoff and full jitter. Five attempts ride out S3's
 * per-prefix request-rate scaling without holding a scheduled run for more than about fifteen seconds per object.
 */
export const S3_MAX_ATTEMPTS = 5;

/**
 * An S3 client configured for the store: the SDK's `standard` retry mode with {@link S3_MAX_ATTEMPTS}. `overrides`
 * is for tests and S3-compatible endpoints (`endpoint`, `forcePathStyle`); the SDK still honours `AWS_ENDPOINT_URL_S3`.
 */
export function createS3Client(overrides: S3ClientConfig = {}): S3Client {
  return new S3Client({ retryMode: 'standard', maxAttempts: S3_MAX_ATTEMPTS, ...overrides });
}

/** Where findings are stored: the bucket and the key prefix (the Glue table's location). */
export interface StoreTarget {
  bucket: string;
  prefix: string;
  /** The run's fixed time, whose date files its objects (see `findingsObjects`); absent: the findings' `observed_at`. */
  runTime?: Date;
}

/** The store could not take an object even after the retries; the message names the bucket and the key. */
export class FindingsStoreError extends Error {
  override readonly name = 'FindingsStoreError';
}

/**
 * Stores `findings` as one object per cluster per run (`ContentType: application/x-ndjson`, `ContentEncoding: gzip`)
 * and returns the keys written. Objects are written one after the other so a failure leaves the earlier ones in place
 * and the error says exactly which object failed; it throws {@link FindingsStoreError} naming `s3://bucket/key`.
 */
export async function storeFindings(s3: S3Client, target: StoreTarget, findings: Finding[]): Promise<string[]> {
  const keys: string[] = [];
  for (const object of findingsObjects(target.prefix, findings, target.runTime)) {
    try {
      await s3.send(
        new PutObjectCommand({
          Bucket: target.bucket,
          Key: object.key,
          Body: object.body,
          ContentType: 'application/x-ndjson',
          ContentEncoding: 'gzip',
        }),
      );
    } catch (error) {
      const uri = `s3://${target.bucket}/${object.key}`;
      throw new FindingsStoreError(`cannot store findings at ${uri}: ${awsFailureText(error)}`);
    }
    keys.push(object.key);
  }
  return keys;
}
