import type { SNSClient } from '@aws-sdk/client-sns';
import { buildAlert, type Alert } from '../../lambda/report/alert.js';
import { AlertPublishError, createSnsClient, publishAlert } from '../../lambda/report/sns-alert.js';
import { startSnsServer, type SnsTestServer } from '../support/sns-server.js';
import { finding, findingCluster } from './fixtures.js';

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:netpol-alerts';

describe('publishAlert through the SNS Query protocol', () => {
  let server: SnsTestServer;
  let sns: SNSClient;
  beforeAll(async () => {
    server = await startSnsServer();
    sns = createSnsClient({
      endpoint: server.endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'test-secret' },
    });
  });
  afterAll(async () => {
    sns.destroy();
    await server.stop();
  });
  beforeEach(() => {
    server.published.length = 0;
  });

  it('publishes subject, message and the String attributes, and returns the MessageId', async () => {
    // Prepare
    const alert: Alert = {
      subject: '[C-0230] 1 cluster: 2 Medium failures',
      message: 'prod (eu-west-1): FAIL: namespaces «équipe» lack policies\n',
      attributes: { severity: 'Medium', control_id: 'C-0230' },
    };

    // Act
    const messageId = await publishAlert(sns, TOPIC, alert);

    // Assess
    expect(server.published).toEqual([
      {
        topicArn: TOPIC,
        subject: alert.subject,
        message: alert.message,
        attributes: {
          severity: { dataType: 'String', stringValue: 'Medium' },
          control_id: { dataType: 'String', stringValue: 'C-0230' },
        },
        messageId,
      },
    ]);
  });

  it('delivers the alert of 20,000 failures within the SNS size limit', async () => {
    // Prepare
    const findings = Array.from({ length: 20_000 }, (_, index) =>
      finding({
        cluster: findingCluster(`cluster-${index % 500}`),
        message: `namespace équipe-${index} has no NetworkPolicy 🔓`,
        resource: { kind: 'Namespace', namespace: null, name: `équipe-${index}` },
      }),
    );
    const alert = buildAlert({
      runId: 'run-1',
      findings,
      failedClusters: [],
      threshold: 'Medium',
      alertOn: 'all',
      location: { bucket: 'audit', prefix: 'findings', keys: [] },
    })!;

    // Act
    await publishAlert(sns, TOPIC, alert);

    // Assess
    const [received] = server.published;
    expect(received?.subject).toBe('[C-0230] 500 clusters: 20000 Medium failures');
    expect(received?.message).toBe(alert.message);
    expect(received?.message).toMatch(/\n… and \d+ more failures/);
  });

  it('fails with one line naming the topic when SNS refuses the message', async () => {
    // Prepare
    const alert: Alert = { subject: 'too big', message: 'x'.repeat(300 * 1024), attributes: { severity: 'Medium', control_id: 'C-0230' } };

    // Act
    const publishing = publishAlert(sns, TOPIC, alert);

    // Assess
    await expect(publishing).rejects.toThrow(AlertPublishError);
    await expect(publishing).rejects.toThrow(`cannot publish the alert to ${TOPIC}: InvalidParameterException: Invalid parameter: Message too long`);
    expect(server.published).toEqual([]);
  });
});
