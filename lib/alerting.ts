/**
 * The alert topic: KMS-encrypted with a rotating key, TLS only, e-mail subscriptions from context. The function
 * publishes one message per run to it, and the alarms publish to it too, which is why the key and the topic policy
 * admit CloudWatch explicitly (an encrypted topic's default policy does not).
 */
import { Aws, CfnOutput, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

/** Who receives the alerts. */
export interface AlertingProps {
  emails: readonly string[];
}

/** The KMS actions a publisher to an encrypted topic needs (SNS encrypts each message with a data key). */
export const TOPIC_KEY_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey'] as const;

/** The encrypted alert topic, its key, its subscriptions and the `AlertTopicArn` output. */
export class Alerting extends Construct {
  readonly key: Key;
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: AlertingProps) {
    super(scope, id);
    this.key = new Key(this, 'Key', {
      description: 'Encrypts the EKS network-policy auditor alert topic',
      enableKeyRotation: true,
      // The key protects only this topic's messages in flight; nothing stored needs it after the topic is gone.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    this.topic = new Topic(this, 'Topic', {
      displayName: 'EKS network-policy auditor',
      masterKey: this.key,
      enforceSSL: true,
    });
    this.admitCloudWatchAlarms();
    for (const email of props.emails) this.topic.addSubscription(new EmailSubscription(email));
    new CfnOutput(scope, 'AlertTopicArn', {
      value: this.topic.topicArn,
      description: 'SNS topic of the auditor alerts and alarms; subscribe more endpoints here',
    });
  }

  /**
   * CloudWatch alarms of this account and region may publish (topic policy, with the confused-deputy conditions
   * CloudWatch sets) and encrypt (key policy: the request reaches KMS through SNS, which does not pass the alarm's
   * ARN on, so the key statement is unconditioned; the key serves this topic only).
   */
  private admitCloudWatchAlarms(): void {
    const cloudWatch = new ServicePrincipal('cloudwatch.amazonaws.com');
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [cloudWatch],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:*` },
        },
      }),
    );
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsEncrypt',
        principals: [cloudWatch],
        actions: [...TOPIC_KEY_ACTIONS],
        resources: ['*'],
      }),
    );
  }
}
