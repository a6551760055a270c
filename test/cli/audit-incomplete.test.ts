/**
 * Exit status 3, through the command line as a child process: an audit that could not decide some cluster's verdict
 * is incomplete, never clean, and its findings say why.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Finding } from '../../lambda/audit/finding.js';
import { runCliAudit } from './audit-helpers.js';

const PASSING = 'test/cases/vpc-cni-in-cluster-enforcing-all-pass/cluster.json';

let home: string;
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'audit-home-'));
});
afterAll(() => rm(home, { recursive: true, force: true }));

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
