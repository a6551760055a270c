/**
 * Exit status 3, through the command line as a child process: an audit that could not decide some cluster's verdict
 * is incomplete, never clean, and its findings say why.
 */
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Finding } from '../../lambda/audit/finding.js';
import { loadOfflineSnapshot } from '../../lambda/collect/offline.js';
import { startKubeApiServer, type KubeApiServer } from '../support/kube-api-server.js';
import { EXAMPLE, runCliAudit } from './audit-helpers.js';

const PASSING = 'test/cases/vpc-cni-in-cluster-enforcing-all-pass/cluster.json';

/** A token of no recognisable shape, which the echoing server repeats in its error bodies. */
const PLAIN_TOKEN = 'opaque-credential-0f3a9';

let home: string;
let stuck: KubeApiServer;
let echoing: KubeApiServer;
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'audit-home-'));
  const snapshot = await loadOfflineSnapshot({ kube: [EXAMPLE.kube], eksAddons: [] }, () => undefined);
  // The pods list answers after a minute: the audit is past its deadline long before.
  stuck = await startKubeApiServer({ inventory: snapshot.kube, faults: [{ path: '/api/v1/pods', delayMs: 60_000 }] });
  const echo = (path: string) => ({ path, status: 400, message: `the token ${PLAIN_TOKEN} may not list ${path}` });
  echoing = await startKubeApiServer({ inventory: snapshot.kube, token: PLAIN_TOKEN, faults: [echo('/api/v1/pods'), echo('/apis/apps/v1/daemonsets')] });
});
afterAll(async () => {
  await Promise.all([stuck.close(), echoing.close()]);
  await rm(home, { recursive: true, force: true });
});

/** Every file under `folder`, gunzipped and concatenated. */
async function readStore(folder: string): Promise<string> {
  const files = (await readdir(folder, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile());
  const texts = await Promise.all(files.map(async (entry) => gunzipSync(await readFile(join(entry.parentPath, entry.name))).toString('utf8')));
  expect(texts.length).toBeGreaterThan(0);
  return texts.join('');
}

/** A kubeconfig whose one context, `slow`, reaches `server` with its token. */
async function kubeconfig(server: KubeApiServer): Promise<string> {
  const file = join(home, `kubeconfig-${server.token}`);
  const lines = [
    'apiVersion: v1',
    'kind: Config',
    'current-context: slow',
    'clusters:',
    `- {name: slow, cluster: {server: "${server.url}", certificate-authority-data: ${server.caData}}}`,
    `users: [{name: reader, user: {token: ${server.token}}}]`,
    'contexts: [{name: slow, context: {cluster: slow, user: reader}}]',
  ];
  await writeFile(file, `${lines.join('\n')}\n`);
  return file;
}

describe('an incomplete audit exits 3', () => {
  test('without AWS credentials, the region that cannot be listed is an UNKNOWN finding, not "no findings"', async () => {
    // Prepare: an empty home and no instance metadata: the credential chain has nothing to offer
    const env = { HOME: home, AWS_EC2_METADATA_DISABLED: 'true' };

    // Act
    const run = await runCliAudit(['--all-clusters', '--region', 'eu-west-1', '--format', 'jsonl'], env);

    // Assess
    expect(run.code).toBe(3);
    const findings = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as Finding);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      check_id: 'control',
      status: 'UNKNOWN',
      resource: { kind: 'Region', namespace: null, name: 'eu-west-1' },
      message: 'C-0230 cannot be decided: the clusters of eu-west-1 could not be listed: eks:ListClusters failed in eu-west-1: CredentialsProviderError: Could not load credentials from any providers.',
    });
    expect(run.stderr).toBe(
      'warning: all clusters (eu-west-1): not audited: the clusters of eu-west-1 could not be listed: eks:ListClusters failed in eu-west-1: CredentialsProviderError: Could not load credentials from any providers\n',
    );
  });
});

describe('--timeout bounds a live audit', () => {
  test('a cluster whose API stalls is UNKNOWN "not finished within" the run\'s time, and the command ends promptly with exit 3', async () => {
    // Prepare
    const file = await kubeconfig(stuck);

    // Act: killed after 30 s, well before the stalled answer would come
    const run = await runCliAudit(['--kubeconfig', file, '--timeout', '2', '--format', 'jsonl'], { HOME: home });

    // Assess
    expect(run.code).toBe(3);
    const findings = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as Finding);
    expect(findings.find((finding) => finding.check_id === 'control')?.status).toBe('UNKNOWN');
    // The 2 s count from the command's start; what was left when the cluster's turn came is what it got.
    const reason = /^warning: slow: not audited: (not finished within ([\d.]+) s, the time left to the run)\n$/.exec(run.stderr);
    expect(Number(reason?.[2])).toBeLessThanOrEqual(2);
    expect(findings.find((finding) => finding.check_id === 'namespace-coverage')?.message).toBe(
      `Not evaluated: the Kubernetes API of cluster slow could not be read (${reason?.[1]}).`,
    );
  });
});

describe('a credential in use never appears in any output', () => {
  test('a server that echoes the token in its error bodies: findings, warnings and the --output folder show it masked', async () => {
    // Prepare
    const file = await kubeconfig(echoing);
    const output = join(home, 'store');

    // Act
    const run = await runCliAudit(['--kubeconfig', file, '--format', 'table', '--output', output], { HOME: home });
    const jsonl = await runCliAudit(['--kubeconfig', file, '--format', 'jsonl'], { HOME: home });

    // Assess
    const stored = await readStore(output);
    for (const text of [run.stdout, run.stderr, jsonl.stdout, jsonl.stderr, stored]) expect(text).not.toContain(PLAIN_TOKEN);
    expect(jsonl.stdout).toContain('HTTP 400: cannot list pods at cluster scope: the token <redacted> may not list /api/v1/pods');
    expect(stored).toContain('the token <redacted> may not list');
  });
});

describe('offline, a capture with unreadable objects fails closed', () => {
  test('a passing cluster with one malformed pod is not clean: exit 3, control UNKNOWN naming the skipped object', async () => {
    // Prepare: the passing capture plus a pod whose hostNetwork is not a boolean
    const capture = JSON.parse(await readFile(PASSING, 'utf8')) as { items: object[] };
    const bad = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'intruder', namespace: 'shop' }, spec: { hostNetwork: 'yes' }, status: { phase: 'Running' } };
    const file = join(home, 'malformed.json');
    await writeFile(file, JSON.stringify({ ...capture, items: [...capture.items, bad] }));
    const clean = await runCliAudit(['--kube', PASSING, '--format', 'jsonl'], { HOME: home });

    // Act
    const run = await runCliAudit(['--kube', file, '--format', 'jsonl'], { HOME: home });

    // Assess
    expect(clean.code).toBe(0);
    expect(run.code).toBe(3);
    const place = `${file}: items[${capture.items.length}]`;
    expect(run.stderr).toContain(`warning: ${place} (Pod shop/intruder): spec.hostNetwork is not true or false; skipped\n`);
    const control = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as Finding).find((finding) => finding.check_id === 'control');
    expect(control).toMatchObject({
      status: 'UNKNOWN',
      message: `C-0230 cannot be decided: 1 input object was skipped as unreadable (${place} (Pod shop/intruder)).`,
      evidence: { skipped_objects: [{ place, object: 'Pod shop/intruder', reason: 'spec.hostNetwork is not true or false' }], skipped_count: 1 },
    });
  });
});
