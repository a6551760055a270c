/**
 * The `audit` command against a live cluster: a kubeconfig pointing at the Kubernetes API test server, which serves
 * the example capture. The live audit must say what the offline audit of the same objects says.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runAuditCommand } from '../../cli/audit-command.js';
import type { Finding } from '../../lambda/audit/finding.js';
import { loadOfflineSnapshot } from '../../lambda/collect/offline.js';
import { startKubeApiServer, type KubeApiServer } from '../support/kube-api-server.js';
import { EXAMPLE, capturedIo, temporaryFolderForTests } from './audit-helpers.js';

const folder = temporaryFolderForTests();
let server: KubeApiServer;

beforeAll(async () => {
  const snapshot = await loadOfflineSnapshot({ kube: [EXAMPLE.kube], eksAddons: [] }, () => undefined);
  server = await startKubeApiServer({ inventory: snapshot.kube });
});
afterAll(() => server.close());

/** A kubeconfig whose only context, `shop`, reaches the test server (a non-EKS cluster is named after its context). */
async function kubeconfigFile(token: string): Promise<string> {
  const file = join(folder(), `kubeconfig-${token}`);
  await writeFile(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      'current-context: shop',
      'clusters:',
      '- name: shop-eu',
      '  cluster:',
      `    server: ${server.url}`,
      `    certificate-authority-data: ${server.caData}`,
      'users:',
      '- name: reader',
      '  user:',
      `    token: ${token}`,
      'contexts:',
      '- name: shop',
      '  context:',
      '    cluster: shop-eu',
      '    user: reader',
      '',
    ].join('\n'),
  );
  return file;
}

const verdicts = (findings: Finding[]) =>
  findings.map((f) => `${f.check_id} ${f.status} ${f.resource.kind} ${f.resource.namespace ?? ''}/${f.resource.name}`).sort();

describe('audit --kubeconfig', () => {
  test('audits the live cluster of the current context with the verdicts of the offline audit', async () => {
    // Prepare
    const offline = capturedIo();
    await runAuditCommand(['--kube', EXAMPLE.kube, '--format', 'jsonl'], offline.io);
    const live = capturedIo();

    // Act
    const status = await runAuditCommand(['--kubeconfig', await kubeconfigFile(server.token), '--format', 'jsonl'], live.io);

    // Assess
    const parse = (text: string) => text.trim().split('\n').map((line) => JSON.parse(line) as Finding);
    const liveFindings = parse(live.stdout());
    expect(status).toBe(1);
    expect(live.stderr()).toBe('');
    expect(liveFindings.every((f) => f.cluster.name === 'shop')).toBe(true);
    expect(verdicts(liveFindings)).toEqual(verdicts(parse(offline.stdout())).map((line) => line.replace(/ Cluster \/cluster$/, ' Cluster /shop')));
  });

  test('a cluster that rejects the credentials is reported as not audited, its findings UNKNOWN, exit 3, the token never shown', async () => {
    // Prepare
    const { io, stdout, stderr } = capturedIo();

    // Act
    const status = await runAuditCommand(['--kubeconfig', await kubeconfigFile('wrong-secret-token'), '--format', 'jsonl'], io);

    // Assess
    const findings = stdout().trim().split('\n').map((line) => JSON.parse(line) as Finding);
    expect(status).toBe(3);
    expect(stderr()).toMatch(/^warning: shop: not audited: 401 Unauthorized/);
    expect(findings.find((f) => f.check_id === 'control')?.status).toBe('UNKNOWN');
    expect(stdout() + stderr()).not.toContain('wrong-secret-token');
  });
});
