/**
 * The command as users get it: `npm pack` gives a package that installs with no network (everything is bundled into
 * dist/) and runs from any directory, and `npm run --silent audit` in a clone reads paths from where it was typed.
 * `npm test` builds dist/ before jest runs, so these run the current code.
 */
import { execFile } from 'node:child_process';
import { cp, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../lib/handler-bundle.js';
import { temporaryFolderForTests } from './audit-helpers.js';

const run = promisify(execFile);
const folder = temporaryFolderForTests();

/** The environment of a user's shell: none of the npm variables `npm test` sets for its children. */
function userEnvironment(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('npm_') && name !== 'INIT_CWD'));
  return { ...env, NODE_OPTIONS: '', NO_COLOR: '1' };
}

async function exitOf(file: string, args: string[], cwd: string) {
  return run(file, args, { cwd, env: userEnvironment() }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

const RELATIVE_EXAMPLE = ['--kube', 'shop-eu/cluster.json', '--eks-cluster', 'shop-eu/eks-cluster.json', '--eks-addon', 'shop-eu/addon-vpc-cni.json'];

describe('the package', () => {
  test('holds the built command and no source or test files', async () => {
    // Act
    const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: PROJECT_ROOT, env: userEnvironment() });

    // Assess
    const [{ files }] = JSON.parse(stdout) as Array<{ files: Array<{ path: string }> }>;
    const paths = files.map((file) => file.path);
    expect(paths).toEqual(expect.arrayContaining(['package.json', 'README.md', 'dist/cli.js']));
    expect(paths.filter((path) => !path.startsWith('dist/') && !['package.json', 'README.md', 'LICENSE'].includes(path))).toEqual([]);
    expect(paths.filter((path) => path.endsWith('.ts'))).toEqual([]);
  });

  test('installs from its tarball with no network and runs the example audit from another directory', async () => {
    // Prepare
    const { stdout: packed } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', folder()], {
      cwd: PROJECT_ROOT,
      env: userEnvironment(),
    });
    const [{ filename }] = JSON.parse(packed) as Array<{ filename: string }>;
    const prefix = join(folder(), 'prefix');
    await run('npm', ['install', '--global', '--offline', '--no-audit', '--no-fund', '--prefix', prefix, join(folder(), filename)], {
      env: userEnvironment(),
    });
    const work = join(folder(), 'work');
    await cp(join(PROJECT_ROOT, 'examples'), work, { recursive: true });
    const command = join(prefix, 'bin', 'eks-netpol-auditor');

    // Act
    const version = await exitOf(command, ['--version'], work);
    const audit = await exitOf(command, ['audit', ...RELATIVE_EXAMPLE], work);

    // Assess
    expect(version).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+\n$/) });
    expect(audit.stderr).toBe('');
    expect(audit.code).toBe(1);
    expect(audit.stdout).toMatch(/^Cluster shop-eu {2}\(eu-west-1, account 111122223333\)\n/);
    expect(await readdir(join(prefix, 'lib', 'node_modules', 'eks-netpol-auditor'))).not.toContain('node_modules');
  });
});

describe('npm run --silent audit in a clone', () => {
  test('reads relative paths from the directory it was typed in', async () => {
    // Prepare
    const work = join(folder(), 'elsewhere');
    await cp(join(PROJECT_ROOT, 'examples'), work, { recursive: true });

    // Act
    const result = await exitOf('npm', ['run', '--silent', '--prefix', PROJECT_ROOT, 'audit', '--', ...RELATIVE_EXAMPLE, '--format', 'jsonl'], work);

    // Assess
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    expect(result.stdout.split('\n')[0]).toContain('"cluster":{"name":"shop-eu"');
  });
});
