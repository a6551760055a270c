import { runTokenCommand } from '../../cli/token-command.js';
import type { CommandIo } from '../../cli/io.js';

const ACCESS_KEY_ID = 'AKIAEXAMPLETOKENCMD1';
const SECRET_ACCESS_KEY = 'tOkEnCmD/SeCrEt+KeY/NeVeR+PrInTeD/000000';

interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the command with exactly `vars` as the AWS environment: the default credential chain reads process.env, so
 * it is replaced for the duration (no shared files, no instance metadata) and restored afterwards.
 */
async function runWithEnv(args: string[], vars: Record<string, string>): Promise<Run> {
  const saved = { ...process.env };
  for (const name of Object.keys(process.env)) {
    if (name.startsWith('AWS_') || name === 'KUBERNETES_EXEC_INFO') delete process.env[name];
  }
  Object.assign(process.env, {
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...vars,
  });
  let stdout = '';
  let stderr = '';
  const io: CommandIo = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: process.env,
  };
  try {
    const status = await runTokenCommand(args, io);
    return { status, stdout, stderr };
  } finally {
    for (const name of Object.keys(process.env)) delete process.env[name];
    Object.assign(process.env, saved);
  }
}

const STATIC_CREDENTIALS = { AWS_ACCESS_KEY_ID: ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY };
const NO_CREDENTIALS = { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' };
const SIGN_PROD_EU = ['--cluster', 'prod-eu', '--region', 'eu-west-1'];

interface ExecCredential {
  kind: string;
  apiVersion: string;
  spec: Record<string, never>;
  status: { expirationTimestamp: string; token: string };
}

function presignedUrl(token: string): URL {
  return new URL(Buffer.from(token.slice('k8s-aws-v1.'.length), 'base64url').toString('utf8'));
}

describe('token command', () => {
  it('prints an ExecCredential signed with the credentials of the default chain', async () => {
    // Prepare
    const before = Date.now();

    // Act
    const run = await runWithEnv(SIGN_PROD_EU, STATIC_CREDENTIALS);

    // Assess
    expect(run).toMatchObject({ status: 0, stderr: '' });
    const credential = JSON.parse(run.stdout) as ExecCredential;
    expect(Object.keys(credential)).toEqual(['kind', 'apiVersion', 'spec', 'status']);
    expect(credential).toMatchObject({ kind: 'ExecCredential', apiVersion: 'client.authentication.k8s.io/v1beta1', spec: {} });
    expect(Object.keys(credential.status)).toEqual(['expirationTimestamp', 'token']);
    const url = presignedUrl(credential.status.token);
    expect(url.host).toBe('sts.eu-west-1.amazonaws.com');
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(new RegExp(`^${ACCESS_KEY_ID}/\\d{8}/eu-west-1/sts/aws4_request$`));
    const expiresAt = new Date(credential.status.expirationTimestamp).getTime();
    expect(credential.status.expirationTimestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(expiresAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 14 * 60_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 14 * 60_000);
  });

  it('formats the JSON like the AWS CLI: 4-space indent and a blank line after', async () => {
    // Act
    const run = await runWithEnv(SIGN_PROD_EU, STATIC_CREDENTIALS);

    // Assess
    const { status } = JSON.parse(run.stdout) as ExecCredential;
    expect(run.stdout).toBe(
      '{\n' +
        '    "kind": "ExecCredential",\n' +
        '    "apiVersion": "client.authentication.k8s.io/v1beta1",\n' +
        '    "spec": {},\n' +
        '    "status": {\n' +
        `        "expirationTimestamp": "${status.expirationTimestamp}",\n` +
        `        "token": "${status.token}"\n` +
        '    }\n' +
        '}\n\n',
    );
  });

  it.each([
    ['AWS_REGION', 'ap-southeast-2'],
    ['AWS_DEFAULT_REGION', 'cn-north-1'],
  ])('takes the region from %s when --region is absent', async (variable, region) => {
    // Act
    const run = await runWithEnv(['--cluster', 'prod-eu'], { ...STATIC_CREDENTIALS, [variable]: region });

    // Assess
    expect(run.status).toBe(0);
    const { status } = JSON.parse(run.stdout) as ExecCredential;
    expect(presignedUrl(status.token).searchParams.get('X-Amz-Credential')).toContain(`/${region}/sts/`);
  });

  it('answers with the ExecCredential version kubectl asks for in KUBERNETES_EXEC_INFO', async () => {
    // Prepare
    const apiVersion = 'client.authentication.k8s.io/v1';
    const execInfo = JSON.stringify({ kind: 'ExecCredential', apiVersion, spec: { interactive: false } });

    // Act
    const run = await runWithEnv(SIGN_PROD_EU, { ...STATIC_CREDENTIALS, KUBERNETES_EXEC_INFO: execInfo });

    // Assess
    expect(run.status).toBe(0);
    expect((JSON.parse(run.stdout) as ExecCredential).apiVersion).toBe(apiVersion);
  });

  it('falls back to v1beta1 with a warning when KUBERNETES_EXEC_INFO is unreadable', async () => {
    // Act
    const run = await runWithEnv(SIGN_PROD_EU, { ...STATIC_CREDENTIALS, KUBERNETES_EXEC_INFO: '{not json' });

    // Assess
    expect(run.status).toBe(0);
    expect((JSON.parse(run.stdout) as ExecCredential).apiVersion).toBe('client.authentication.k8s.io/v1beta1');
    expect(run.stderr).toMatch(/^warning: KUBERNETES_EXEC_INFO .*v1beta1\n$/);
  });

  it.each([
    ['--cluster is missing', ['--region', 'eu-west-1'], {}, /^token: --cluster NAME is required/],
    ['no region is given anywhere', ['--cluster', 'prod-eu'], {}, /^token: no region/],
    ['an option is unknown', ['--cluster', 'prod-eu', '--cluster-nmae', 'x'], {}, /^token: Unknown option '--cluster-nmae'/],
    ['the cluster name cannot be signed', ['--cluster', 'prod eu', '--region', 'eu-west-1'], {}, /^token: cannot sign an EKS token/],
    ['the credential chain finds nothing', SIGN_PROD_EU, NO_CREDENTIALS, /^token: no usable AWS credentials/],
  ])('exits 2 with one line on stderr when %s', async (_case, args, overrides, message) => {
    // Act
    const run = await runWithEnv(args, { ...STATIC_CREDENTIALS, ...overrides });

    // Assess
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
    expect(run.stderr.split('\n')).toHaveLength(2);
    expect(run.stderr.endsWith('\n')).toBe(true);
  });

  it('never prints the secret access key, on success or on failure', async () => {
    // Act
    const runs = [
      await runWithEnv(SIGN_PROD_EU, STATIC_CREDENTIALS),
      await runWithEnv(['--cluster', 'prod eu', '--region', 'eu-west-1'], STATIC_CREDENTIALS),
    ];

    // Assess
    expect(runs.map((run) => run.status)).toEqual([0, 2]);
    for (const run of runs) {
      const printed = run.stdout + run.stderr;
      const token = run.stdout ? (JSON.parse(run.stdout) as ExecCredential).status.token : '';
      const decoded = token ? decodeURIComponent(presignedUrl(token).toString()) : '';
      expect(printed + decoded).not.toContain(SECRET_ACCESS_KEY);
      expect(printed + decoded).not.toContain(encodeURIComponent(SECRET_ACCESS_KEY));
    }
  });
});
