/**
 * The real entry point's cold start with a configuration the stack would never set: one clear log line, and every
 * invocation fails with the message naming the variable, before any AWS call.
 */
import { afterAll, describe, expect, it, jest } from '@jest/globals';

const savedEnv = { ...process.env };
afterAll(() => {
  process.env = savedEnv;
  jest.restoreAllMocks();
});

describe('lambda/handler.ts at cold start', () => {
  it('fails every invocation with the ConfigError naming the variable, logged once as one line', async () => {
    // Prepare
    delete process.env.FINDINGS_BUCKET;
    process.env.AWS_REGION = 'eu-west-1';
    const written: string[] = [];
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(chunk.toString());
      return true;
    });
    const { handler } = await import('../lambda/handler.js');

    // Act
    const run = handler({}, { awsRequestId: 'request-1' });

    // Assess
    await expect(run).rejects.toMatchObject({ name: 'ConfigError', message: 'FINDINGS_BUCKET is not set: the function needs the findings bucket name' });
    const lines = written.join('').split('\n').filter((line) => line !== '');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toMatchObject({ level: 'ERROR', message: expect.stringContaining('invalid configuration: FINDINGS_BUCKET is not set') });
  });
});
