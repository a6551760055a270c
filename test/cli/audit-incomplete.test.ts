/**
 * Exit status 3, through the command line as a child process: an audit that could not decide some cluster's verdict
 * is incomplete, never clean, and its findings say why.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Finding } from '../../lambda/audit/finding.js';
import { runCliAudit } from './audit-helpers.js';

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
