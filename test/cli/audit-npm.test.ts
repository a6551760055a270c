import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { EXAMPLE_FLAGS, temporaryFolderForTests } from './audit-helpers.js';

const run = promisify(execFile);

/** Runs the README's documented command, `npm run --silent audit -- …`, as a user would. */
async function npmAudit(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, NODE_OPTIONS: '', NO_COLOR: '1' };
  return run('npm', ['run', '--silent', 'audit', '--', ...args], { env }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

const folder = temporaryFolderForTests();

describe('the documented command, end to end', () => {
  test('the README quickstart audits the example: its report, exit 1 for its Medium failures', async () => {
    // Act
    const result = await npmAudit(EXAMPLE_FLAGS);

    // Assess
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^Cluster shop-eu {2}\(eu-west-1, account 111122223333\)\n/);
    expect(result.stdout).toContain('FAIL  Medium  namespace-coverage (2): Every namespace is isolated by a network policy');
  });

  test('a bad file gives one error line and no stack trace', async () => {
    // Prepare
    const bad = join(folder(), 'cluster.json');
    await writeFile(bad, '{"kind": "List", "items": [');

    // Act
    const result = await npmAudit(['--kube', bad]);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`error: ${bad}: truncated JSON\n`);
    expect(result.stdout).toBe('');
  });
});
