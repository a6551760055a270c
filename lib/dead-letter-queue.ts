/**
 * The encrypted dead-letter queue of an asynchronously invoked function and of the schedule that invokes it: it keeps
 * every event that failed for good for 14 days, where the dead-letter alarm sees it.
 */
import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { acknowledge } from './nag.js';

/** A dead-letter queue (SQS-managed encryption, TLS only). */
export function deadLetterQueue(scope: Construct, id: string): Queue {
  const queue = new Queue(scope, id, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  acknowledge(
    queue,
    'AwsSolutions-SQS3',
    'This queue is itself the dead-letter destination of the function and of the schedule; nothing consumes it.',
  );
  return queue;
}
