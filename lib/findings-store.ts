/**
 * Where findings live: the findings bucket (gzipped JSON Lines under `findings/dt=YYYY-MM-DD/`, the layout of
 * lambda/report/store-layout.ts) and the bucket that receives the server access logs of every bucket of the stack.
 */
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { FINDINGS_PREFIX } from '../lambda/report/store-layout.js';
import { secureBucket } from './secure-bucket.js';

/** How long findings (and the access logs about them) are kept. */
export interface FindingsStoreProps {
  retentionDays: number;
}

/** The findings bucket and the access-log bucket, both retained when the stack is deleted. */
export class FindingsStore extends Construct {
  /** Receives server access logs of the findings bucket and of the Athena results bucket. */
  readonly accessLogs: Bucket;
  readonly bucket: Bucket;
  /** The key prefix the function writes under and the Glue table reads. */
  readonly prefix = FINDINGS_PREFIX;

  constructor(scope: Construct, id: string, props: FindingsStoreProps) {
    super(scope, id);
    // No access logs of its own: logging the log bucket would log every log delivery, without end (cdk-nag
    // recognises a log destination and does not ask for it).
    this.accessLogs = secureBucket(this, 'AccessLogs', { expirationDays: props.retentionDays });
    this.bucket = secureBucket(this, 'Bucket', {
      expirationDays: props.retentionDays,
      accessLogs: this.accessLogs,
      accessLogsPrefix: 'findings-bucket/',
    });
  }
}
