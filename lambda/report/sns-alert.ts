/**
 * Delivering the run's alert through SNS: one Publish with the subject, the plain-text body and the `severity` and
 * `control_id` String attributes that subscription filter policies match on.
 */
import { PublishCommand, SNSClient, type SNSClientConfig } from '@aws-sdk/client-sns';
import { awsFailureText } from '../aws-failure.js';
import { redact } from '../secrets.js';
import type { Alert } from './alert.js';

/**
 * Attempts per Publish (the first try included) in the SDK's `standard` retry mode, which retries throttling and 5xx
 * answers with exponential backoff and full jitter; one alert per run makes a few retries cheap.
 */
export const SNS_MAX_ATTEMPTS = 4;

/** An SNS client in `standard` retry mode with {@link SNS_MAX_ATTEMPTS}; the SDK honours `AWS_ENDPOINT_URL_SNS`. */
export function createSnsClient(overrides: SNSClientConfig = {}): SNSClient {
  return new SNSClient({ retryMode: 'standard', maxAttempts: SNS_MAX_ATTEMPTS, ...overrides });
}

/** SNS refused the alert even after the retries; the message names the topic. */
export class AlertPublishError extends Error {
  override readonly name = 'AlertPublishError';
}

/** Publishes `alert` to `topicArn` and returns SNS's MessageId; throws {@link AlertPublishError} naming the topic. */
export async function publishAlert(sns: SNSClient, topicArn: string, alert: Alert): Promise<string> {
  try {
    const { MessageId } = await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        // The alert is built from redacted text already; this is the last gate before it leaves the account.
        Subject: redact(alert.subject),
        Message: redact(alert.message),
        MessageAttributes: Object.fromEntries(
          Object.entries(alert.attributes).map(([name, value]) => [name, { DataType: 'String', StringValue: value }]),
        ),
      }),
    );
    if (!MessageId) throw new Error('SNS returned no MessageId');
    return MessageId;
  } catch (error) {
    throw new AlertPublishError(`cannot publish the alert to ${topicArn}: ${awsFailureText(error)}`);
  }
}
