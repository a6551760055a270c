/**
 * The `audit` command as a child process against a live cluster whose API misbehaves on one kind: it never hangs,
 * crashes or exits 2; the kind is UNKNOWN with the reason, and the audit is incomplete (exit 3).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Finding } from '../../lambda/audit/finding.js';
import { passingInventory } from '../live/fixtures.js';
import { startKubeApiServer, type KubeApiServer, type KubeFault } from '../support/kube-api-server.js';
import { runCliAudit, temporaryFolderForTests } from './audit-helpers.js';

const folder = temporaryFolderForTests();
const servers: KubeApiServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A kubeconfig whose one context reaches `server` with its token. */
async function kubeconfigFor(server: KubeApiServer): Promise<string> {
  const file = join(folder(), `kubeconfig-${servers.length}`);
  const lines = ['apiVersion: v1', 'kind: Config', 'current-context: live', 'clusters:', '- name: live', '  cluster:', `    server: ${server.url}`];
  lines.push(`    certificate-authority-data: ${server.caData}`, 'users:', '- name: reader', '  user:', `    token: ${server.token}`);
  lines.push('contexts:', '- name: live', '  context:', '    cluster: live', '    user: reader', '');
  await writeFile(file, lines.join('\n'));
  return file;
}

async function auditWith(fault: KubeFault, flags: string[] = []) {
  const server = await startKubeApiServer({ inventory: await passingInventory(), faults: [fault] });
  servers.push(server);
  const run = await runCliAudit(['--kubeconfig', await kubeconfigFor(server), '--format', 'jsonl', ...flags], {}, 60_000);
  const findings = run.stdout.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Finding);
  return { run, findings };
}

test('one unreadable pod in a live list: skipped with a warning on stderr naming the cluster and where, as offline does; exit 3', async () => {
  // Act
  const { run, findings } = await auditWith({ path: '/api/v1/pods', mode: 'bad-item' });

  // Assess
  expect(run.code).toBe(3);
  expect(run.stderr).toMatch(/^warning: [^:\n]+: GET \/api\/v1\/pods page 1 items\[\d+\] \(Pod no name\): [^\n]+; skipped$/m);
  expect(run.stderr.match(/; skipped$/gm)).toHaveLength(1);
  const control = findings.find((finding) => finding.check_id === 'control');
  expect(control?.status).toBe('UNKNOWN');
  expect(control?.message).toContain('1 input object was skipped as unreadable');
});

test('--max-body-mib lowers the body limit: a 3 MiB pods page under --max-body-mib 1 leaves pods UNKNOWN naming the limit', async () => {
  // Act
  const { run, findings } = await auditWith({ path: '/api/v1/pods', mode: 'oversized', bytes: 3 * 2 ** 20 }, ['--max-body-mib', '1']);

  // Assess
  expect(run.code).toBe(3);
  const workloads = findings.find((finding) => finding.check_id === 'workload-coverage');
  expect(workloads?.status).toBe('UNKNOWN');
  expect(workloads?.message).toContain('is larger than the 1 MiB limit');
});

test('the default body limit reads that 3 MiB page', async () => {
  // Act
  const { run, findings } = await auditWith({ path: '/api/v1/pods', mode: 'oversized', bytes: 3 * 2 ** 20 });

  // Assess
  expect(run.stderr).not.toContain('limit');
  expect(findings.find((finding) => finding.check_id === 'workload-coverage')?.message ?? '').not.toContain('limit');
});

describe.each([
  [{ path: '/api/v1/pods', mode: 'continue-forever' }, 'the list did not end within'],
  [{ path: '/api/v1/pods', mode: 'cut-body' }, 'the connection closed after'],
  [{ path: '/api/v1/pods', mode: 'html' }, 'is not JSON (text/html'],
  [{ path: '/api/v1/pods', mode: 'redirect', redirectTo: 'http://127.0.0.1:9/api/v1/pods' }, 'another origin than https://127.0.0.1:'],
] as Array<[KubeFault, string]>)('a live cluster answering the pods list with %o', (fault, reason) => {
  test('is audited to the end: pods UNKNOWN with the reason, exit 3, no crash', async () => {
    // Act
    const { run, findings } = await auditWith(fault);

    // Assess
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.code).toBe(3);
    const workloads = findings.find((finding) => finding.check_id === 'workload-coverage');
    expect(workloads?.status).toBe('UNKNOWN');
    expect(workloads?.message).toContain(reason);
    expect(findings.find((finding) => finding.check_id === 'control')?.status).toBe('UNKNOWN');
  });
});
