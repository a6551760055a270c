/** The `eks-netpol-auditor` entry point: dispatch, top-level help and version, run as the built command. */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { callerDirectory } from '../../cli/io.js';
import { PROJECT_ROOT } from '../../lib/handler-bundle.js';

const run = promisify(execFile);
const CLI = join(PROJECT_ROOT, 'dist', 'cli.js');

async function cli(args: string[]) {
  return run(process.execPath, [CLI, ...args], { env: { ...process.env, NODE_OPTIONS: '' } }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

describe('the command', () => {
  test('--version prints the package version', async () => {
    // Prepare
    const { version } = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };

    // Act
    const result = await cli(['--version']);

    // Assess
    expect(result).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  test('--help lists every command; with no command the same text goes to stderr with status 2', async () => {
    // Act
    const help = await cli(['--help']);
    const bare = await cli([]);

    // Assess
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: eks-netpol-auditor <command>/);
    expect(help.stdout).toMatch(/\n {2}audit +audit NetworkPolicy/);
    expect(help.stdout).toMatch(/\n {2}capture +write what the audit reads/);
    expect(help.stdout).toMatch(/\n {2}token +print an EKS token/);
    expect(bare).toEqual({ code: 2, stdout: '', stderr: help.stdout });
  });

  test('an unknown command is one line naming it', async () => {
    // Act
    const result = await cli(['audits']);

    // Assess
    expect(result).toEqual({ code: 2, stdout: '', stderr: 'error: unknown command "audits" (see --help)\n' });
  });

  test('token --help explains the kubectl exec-plugin setup without needing credentials', async () => {
    // Act
    const result = await cli(['token', '--help']);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^usage: eks-netpol-auditor token --cluster NAME/);
    expect(result.stdout).toContain('command: eks-netpol-auditor');
  });
});

describe('callerDirectory', () => {
  const npmRun = { npm_package_name: 'eks-netpol-auditor', npm_lifecycle_event: 'audit', INIT_CWD: '/home/me/captures' };

  test('is where npm was typed when this package\'s script of the same name runs the command', () => {
    expect(callerDirectory(npmRun, 'audit')).toBe('/home/me/captures');
  });

  test.each([
    ['another package\'s script', { ...npmRun, npm_package_name: 'my-tools' }, 'audit'],
    ['another script of this package (npm test)', { ...npmRun, npm_lifecycle_event: 'test' }, 'audit'],
    ['a shell', {}, 'audit'],
  ])('is unset for %s', (_case, env, command) => {
    expect(callerDirectory(env, command)).toBeUndefined();
  });
});
