/**
 * The one way this stack makes a bucket: encrypted, private, TLS only, versioned, expiring, retained. Findings,
 * Athena results and access logs differ only in how long objects live and where their access is logged.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership, type IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

/** How long objects live and where access to them is logged. */
export interface SecureBucketProps {
  expirationDays: number;
  /** The server access log bucket; absent only for the log bucket itself. */
  accessLogs?: IBucket;
  /** Key prefix of this bucket's access logs in the log bucket. */
  accessLogsPrefix?: string;
}

/** Versions replaced by a retried run, or expired, stay this long so an accident can be undone. */
const NONCURRENT_VERSION_DAYS = 7;

/**
 * A bucket with SSE-S3 encryption (Athena and S3 server access logging both work with it without key grants),
 * public access blocked, a TLS-only bucket policy, versioning, lifecycle expiry, and RETAIN on stack deletion:
 * stored findings are evidence and outlive the stack.
 */
export function secureBucket(scope: Construct, id: string, props: SecureBucketProps): Bucket {
  return new Bucket(scope, id, {
    encryption: BucketEncryption.S3_MANAGED,
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    enforceSSL: true,
    versioned: true,
    serverAccessLogsBucket: props.accessLogs,
    serverAccessLogsPrefix: props.accessLogsPrefix,
    removalPolicy: RemovalPolicy.RETAIN,
    lifecycleRules: [
      {
        id: 'expire',
        expiration: Duration.days(props.expirationDays),
        noncurrentVersionExpiration: Duration.days(NONCURRENT_VERSION_DAYS),
        abortIncompleteMultipartUploadAfter: Duration.days(1),
      },
      // S3 refuses delete-marker clean-up in the same rule as a day-based expiration.
      { id: 'remove-expired-delete-markers', expiredObjectDeleteMarker: true },
    ],
  });
}
