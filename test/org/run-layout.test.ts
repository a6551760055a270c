import { interleaveByAccount, runKeys } from '../../lambda/org/run-layout.js';
import { caughtText } from '../../lambda/org/audit-batch.js';

describe('interleaveByAccount', () => {
  it('alternates accounts so that consecutive clusters belong to different accounts', () => {
    // Prepare
    const clusters = [
      ...['a', 'b', 'c'].map((name) => ({ account: '111', region: 'eu-west-1', name })),
      ...['a', 'b'].map((name) => ({ account: '222', region: 'eu-west-1', name })),
      { account: '333', region: 'us-east-1', name: 'a' },
    ];

    // Act
    const order = interleaveByAccount(clusters).map((cluster) => `${cluster.account}/${cluster.name}`);

    // Assess
    expect(order).toEqual(['111/a', '222/a', '333/a', '111/b', '222/b', '111/c']);
  });
});

describe('runKeys', () => {
  it('keeps each run\'s plan and cluster list under its own run id', () => {
    // Act
    const keys = runKeys('org-runs/', 'run-1');

    // Assess
    expect(keys).toEqual({ planKey: 'org-runs/run-1/plan.json', clustersKey: 'org-runs/run-1/clusters.json' });
  });
});

describe('caughtText', () => {
  it('keeps a Lambda error\'s type and message, never its stack trace', () => {
    // Act
    const text = caughtText({ Error: 'TypeError', Cause: JSON.stringify({ errorType: 'TypeError', errorMessage: 'x is undefined', trace: ['at secret (/var/task/index.mjs:1:1)'] }) });

    // Assess
    expect(text).toBe('TypeError: x is undefined');
  });

  it('keeps a Step Functions cause as it is', () => {
    // Act
    const text = caughtText({ Error: 'States.Timeout', Cause: 'Task timed out after 630 seconds' });

    // Assess
    expect(text).toBe('States.Timeout: Task timed out after 630 seconds');
  });
});
