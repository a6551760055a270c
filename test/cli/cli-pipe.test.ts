import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { EXAMPLE_FLAGS } from './audit-helpers.js';

const run = promisify(execFile);

describe('the command line in a pipeline', () => {
  test('a reader that stops early (audit … | head) gets no stack trace on stderr', async () => {
    // Prepare: the example's jsonl (tens of kilobytes) outgrows the pipe buffer, so the writer meets a closed pipe
    const audit = ['node', 'dist/cli.js', 'audit', ...EXAMPLE_FLAGS, '--format', 'jsonl'].join(' ');

    // Act
    const { stdout, stderr } = await run('bash', ['-c', `${audit} | head -c 10`], {
      env: { ...process.env, NODE_OPTIONS: '' },
    });

    // Assess
    expect(stdout).toBe('{"schema_v');
    expect(stderr).toBe('');
  });
});
