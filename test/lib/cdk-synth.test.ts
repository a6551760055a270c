import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OFFLINE_ENVIRONMENT, STACK_NAME } from '../../lib/auditor-app.js';
import { HANDLER_BUNDLE, PROJECT_ROOT } from '../../lib/handler-bundle.js';

/** The test's environment with every way to AWS credentials closed, as on a CI runner without secrets. */
function offlineEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(AWS_|CDK_)/.test(name) && name !== 'NODE_OPTIONS'),
  );
  const nowhere = join(tmpdir(), 'no-aws-config');
  return {
    ...env,
    AWS_CONFIG_FILE: nowhere,
    AWS_SHARED_CREDENTIALS_FILE: nowhere,
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  };
}

type Resource = { Type: string; Properties: any; Metadata?: Record<string, string> };

describe('cdk synth', () => {
  let outdir: string;
  let synth: SpawnSyncReturns<string>;
  let resources: Resource[];

  // One real synth for the file: it bundles the handler, which takes seconds.
  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'auditor-synth-'));
    synth = spawnSync(
      'npx',
      ['cdk', 'synth', '--no-notices', '--quiet', '-o', outdir, '-c', 'alertEmails=me@example.com'],
      { cwd: PROJECT_ROOT, env: offlineEnv({ AWS_REGION: 'eu-central-1' }), encoding: 'utf8', timeout: 170_000 },
    );
    const templateFile = join(outdir, `${STACK_NAME}.template.json`);
    resources = existsSync(templateFile) ? Object.values(JSON.parse(readFileSync(templateFile, 'utf8')).Resources) : [];
  }, 180_000);

  afterAll(() => {
    rmSync(outdir, { recursive: true, force: true });
  });

  const ofType = (type: string) => resources.filter((resource) => resource.Type === type);

  it('succeeds offline, without credentials and without Docker', () => {
    // Assess (Prepare and Act: the synth in beforeAll)
    expect({ status: synth.status, stderr: synth.status === 0 ? '' : synth.stderr }).toEqual({ status: 0, stderr: '' });
    expect(synth.stderr).not.toMatch(/docker/i);
  });

  it('writes the template for the CLI region, the offline account and the context given with -c', () => {
    // Act
    const read = ofType('AWS::IAM::Policy')
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement)
      .find((statement) => statement.Sid === 'ReadClusters');
    const subscription = ofType('AWS::SNS::Subscription')[0];

    // Assess
    expect(ofType('AWS::Lambda::Function')[0]?.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'] });
    expect(JSON.stringify(read?.Resource)).toContain(`:eks:eu-central-1:${OFFLINE_ENVIRONMENT.account}:cluster/*`);
    expect(subscription?.Properties.Endpoint).toBe('me@example.com');
  });

  it('bundles the handler into one ES module with its source map, which loads and exports the handler', () => {
    // Prepare
    const bundle = join(outdir, ofType('AWS::Lambda::Function')[0]?.Metadata?.['aws:asset:path'] ?? 'missing');

    // Act
    const load = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', "const m = await import('./index.mjs'); console.log(typeof m.handler);"],
      { cwd: bundle, env: offlineEnv({}), encoding: 'utf8', timeout: 30_000 },
    );

    // Assess
    expect(readFileSync(join(bundle, 'index.mjs'), 'utf8').startsWith(HANDLER_BUNDLE.banner)).toBe(true);
    expect(existsSync(join(bundle, 'index.mjs.map'))).toBe(true);
    // The suppressions file beside cdk.json travels with the code, where SUPPRESSIONS_FILE names it.
    expect(readFileSync(join(bundle, 'suppressions.yaml'), 'utf8')).toBe(readFileSync(join(PROJECT_ROOT, 'suppressions.yaml'), 'utf8'));
    expect(load.stdout.trim().split('\n').at(-1)).toBe('function');
  });

  it('stops on a bad context value with one line naming the key', () => {
    // Prepare
    const env = offlineEnv({ CDK_CONTEXT_JSON: JSON.stringify({ alertEmails: 'me@' }), CDK_OUTDIR: outdir });

    // Act
    const run = spawnSync('npx', ['tsx', 'bin/app.ts'], { cwd: PROJECT_ROOT, env, encoding: 'utf8', timeout: 60_000 });

    // Assess
    expect(run.status).toBe(1);
    expect(run.stderr).toBe("context alertEmails: 'me@' is not an e-mail address\n");
  }, 60_000);
});
