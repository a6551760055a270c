/** Which events the handler accepts, and the run ids they get. */
import { describe, expect, it } from '@jest/globals';
import { InvocationError, parseInvocation, scheduledRunId } from '../../lambda/live/invocation.js';

function scheduledEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: '0',
    id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '123456789012',
    time: '2025-06-02T06:00:00Z',
    region: 'eu-west-1',
    resources: ['arn:aws:events:eu-west-1:123456789012:rule/audit'],
    detail: {},
    ...overrides,
  };
}

describe('parseInvocation', () => {
  it('gives a scheduled event a run id from its time and id, and its time, the same on a retry', () => {
    // Act
    const first = parseInvocation(scheduledEvent(), 'request-1');
    const retry = parseInvocation(scheduledEvent(), 'request-2');

    // Assess
    expect(first).toEqual({
      kind: 'scheduled',
      runId: expect.stringMatching(/^20250602T060000Z-[0-9a-f]{8}$/),
      time: new Date('2025-06-02T06:00:00Z'),
    });
    expect(retry.runId).toBe(first.runId);
  });

  it('gives scheduled events of different ids different run ids that sort by time', () => {
    // Act
    const early = scheduledRunId('event-b', new Date('2025-06-02T06:00:00Z'));
    const late = scheduledRunId('event-a', new Date('2025-06-03T06:00:00Z'));
    const sameTime = scheduledRunId('event-c', new Date('2025-06-02T06:00:00Z'));

    // Assess
    expect([late, early].sort()).toEqual([early, late]);
    expect(sameTime).not.toBe(early);
  });

  it('accepts EventBridge Scheduler events too', () => {
    // Act
    const invocation = parseInvocation(scheduledEvent({ source: 'aws.scheduler' }), 'request-1');

    // Assess
    expect(invocation.kind).toBe('scheduled');
  });

  it('accepts every region the configuration accepts, eusc-de-east-1 included', () => {
    // Act
    const invocation = parseInvocation({ regions: ['eusc-de-east-1', 'us-isob-east-1'] }, 'f00d-2');

    // Assess
    expect(invocation).toMatchObject({ regions: ['eusc-de-east-1', 'us-isob-east-1'] });
  });

  it('takes the clusters and regions of a manual event, with the request id as run id', () => {
    // Act
    const invocation = parseInvocation({ clusters: ['prod', 'prod', 'dev'], regions: ['eu-west-1'] }, 'f00d-1');

    // Assess
    expect(invocation).toEqual({ kind: 'manual', runId: 'manual-f00d-1', clusters: ['prod', 'dev'], regions: ['eu-west-1'] });
  });

  it('treats an empty object as a manual run of every configured cluster', () => {
    // Act
    const invocation = parseInvocation({}, 'f00d-2');

    // Assess
    expect(invocation).toEqual({ kind: 'manual', runId: 'manual-f00d-2' });
  });

  it.each([
    ['a string', 'prod', /must be a JSON object/],
    ['an unknown field', { cluster: ['prod'] }, /unknown field "cluster"/],
    ['clusters not an array', { clusters: 'prod' }, /"clusters" must be a non-empty array/],
    ['an empty cluster list', { clusters: [] }, /"clusters" must be a non-empty array/],
    ['a bad region', { regions: ['Europe'] }, /"regions" has "Europe", which is not an AWS region name/],
    ['a bad cluster name', { clusters: ['no spaces'] }, /"clusters" has "no spaces", which is not an EKS cluster name/],
    ['another EventBridge event', scheduledEvent({ 'detail-type': 'EC2 Instance State-change Notification', source: 'aws.ec2' }), /unsupported EventBridge event/],
    ['a scheduled event without time', scheduledEvent({ time: 'yesterday' }), /needs a string "id" and an ISO-8601 "time"/],
  ])('rejects %s with a one-line message', (_case, event, message) => {
    // Act
    const parse = () => parseInvocation(event, 'request-1');

    // Assess
    expect(parse).toThrow(InvocationError);
    expect(parse).toThrow(message);
  });
});
