import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { createStartHandler } from '../../lambda/org/start.js';

const STATE_MACHINE = 'arn:aws:states:eu-west-1:111122223333:stateMachine:OrgRun';
const SCHEDULED = { 'detail-type': 'Scheduled Event', source: 'aws.events', id: 'c0ffee-1', time: '2026-12-01T06:00:00Z' };

describe('createStartHandler', () => {
  const sfn = mockClient(SFNClient);
  afterEach(() => sfn.reset());
  afterAll(() => sfn.restore());
  const start = createStartHandler({ sfn: new SFNClient({ region: 'eu-west-1' }), stateMachineArn: STATE_MACHINE });

  it('starts one execution named after the scheduled run id', async () => {
    // Prepare
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${STATE_MACHINE}:x` });

    // Act
    const result = await start(SCHEDULED, { awsRequestId: 'req-1' });

    // Assess
    expect(result).toEqual({ runId: expect.stringMatching(/^20261201T060000Z-[0-9a-f]{8}$/), duplicate: false, executionArn: `${STATE_MACHINE}:x` });
    expect(sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input).toEqual({ stateMachineArn: STATE_MACHINE, name: result.runId, input: '{}' });
  });

  it('takes a duplicate delivery of the same event as already started, not as a second run', async () => {
    // Prepare
    sfn.on(StartExecutionCommand).resolvesOnce({ executionArn: `${STATE_MACHINE}:x` }).rejects(new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} }));
    const first = await start(SCHEDULED, { awsRequestId: 'req-1' });

    // Act
    const second = await start(SCHEDULED, { awsRequestId: 'req-2' });

    // Assess
    expect(second).toEqual({ runId: first.runId, duplicate: true });
    const names = sfn.commandCalls(StartExecutionCommand).map((call) => call.args[0].input.name);
    expect(names).toEqual([first.runId, first.runId]);
  });

  it('passes a manual run\'s regions and clusters to the execution', async () => {
    // Prepare
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${STATE_MACHINE}:m` });

    // Act
    const result = await start({ regions: ['eu-west-1'], clusters: ['prod'] }, { awsRequestId: 'abc' });

    // Assess
    expect(result.runId).toBe('manual-abc');
    expect(JSON.parse(sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input.input!)).toEqual({ regions: ['eu-west-1'], clusters: ['prod'] });
  });

  it('refuses an event it does not know before starting anything', async () => {
    // Act
    const starting = start({ source: 'aws.s3', 'detail-type': 'Object Created' }, { awsRequestId: 'r' });

    // Assess
    await expect(starting).rejects.toThrow('unsupported EventBridge event');
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });
});
