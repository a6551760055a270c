import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { runAuditCommand } from '../../cli/audit-command.js';
import type { Finding } from '../../lambda/audit/finding.js';
import { capturedIo, EXAMPLE, EXAMPLE_FLAGS, exampleSubset, temporaryFolderForTests } from './audit-helpers.js';

const RUN_ID = /^\d{8}T\d{6}Z-[0-9a-f]{6}$/;

const folder = temporaryFolderForTests();

describe('exit status', () => {
  test('the example cluster, with Medium failures, exits 1 and prints its report with no warning', async () => {
    // Prepare
    const { io, stdout, stderr } = capturedIo();

    // Act
    const status = await runAuditCommand(EXAMPLE_FLAGS, io);

    // Assess
    expect(status).toBe(1);
    expect(stdout()).toMatch(/^Cluster shop-eu {2}\(eu-west-1, account 111122223333\)\n {2}.*: FAIL\n/);
    expect(stderr()).toBe('');
  });

  test('a cluster whose only failures are Low exits 0 by default and 1 with --fail-on Low', async () => {
    // Prepare: shop isolates Ingress but not Egress (a Low check).
    const capture = await exampleSubset(folder(), ['shop']);

    // Act
    const byDefault = await runAuditCommand(['--kube', capture], capturedIo().io);
    const onLow = await runAuditCommand(['--kube', capture, '--fail-on', 'Low'], capturedIo().io);

    // Assess
    expect([byDefault, onLow]).toEqual([0, 1]);
  });

  test('a fully isolated cluster exits 0 even with --fail-on Informational', async () => {
    // Prepare: payments denies Ingress and Egress by default and allows each flow explicitly.
    const capture = await exampleSubset(folder(), ['payments']);
    const { io, stdout } = capturedIo();

    // Act
    const status = await runAuditCommand(['--kube', capture, '--fail-on', 'Informational', '--format', 'jsonl'], io);

    // Assess
    expect(status).toBe(0);
    expect(stdout().split('\n').filter(Boolean).map((line) => (JSON.parse(line) as Finding).status)).not.toContain('FAIL');
  });
});

describe('formats', () => {
  test('jsonl prints one finding per line, all of one run', async () => {
    // Prepare
    const { io, stdout } = capturedIo();

    // Act
    await runAuditCommand([...EXAMPLE_FLAGS, '--format', 'jsonl'], io);

    // Assess
    const findings = stdout().trimEnd().split('\n').map((line) => JSON.parse(line) as Finding);
    expect(findings.length).toBeGreaterThan(10);
    expect(new Set(findings.map((finding) => finding.run_id)).size).toBe(1);
    expect(findings[0]?.run_id).toMatch(RUN_ID);
    expect(findings.every((finding) => finding.cluster.arn === 'arn:aws:eks:eu-west-1:111122223333:cluster/shop-eu')).toBe(true);
  });

  test('json prints the same findings as one array', async () => {
    // Prepare
    const lines = capturedIo();
    const array = capturedIo();

    // Act
    await runAuditCommand([...EXAMPLE_FLAGS, '--format', 'jsonl'], lines.io);
    await runAuditCommand([...EXAMPLE_FLAGS, '--format', 'json'], array.io);

    // Assess
    const parsed = JSON.parse(array.stdout()) as Finding[];
    expect(Array.isArray(parsed)).toBe(true);
    const ids = (findings: Finding[]) => findings.map((finding) => finding.finding_id);
    expect(ids(parsed)).toEqual(ids(lines.stdout().trimEnd().split('\n').map((line) => JSON.parse(line) as Finding)));
  });

  test('the table is coloured on a terminal, and not when NO_COLOR is set', async () => {
    // Prepare
    const terminal = capturedIo({ tty: true });
    const noColor = capturedIo({ tty: true, env: { NO_COLOR: '1' } });

    // Act
    await runAuditCommand(EXAMPLE_FLAGS, terminal.io);
    await runAuditCommand(EXAMPLE_FLAGS, noColor.io);

    // Assess
    expect(terminal.stdout()).toContain('\u001b[31mFAIL\u001b[0m');
    expect(noColor.stdout()).not.toContain('\u001b[');
  });

  test('NO_COLOR counts only when non-empty; FORCE_COLOR colours a pipe and wins over NO_COLOR', async () => {
    // Prepare
    const emptyNoColor = capturedIo({ tty: true, env: { NO_COLOR: '' } });
    const forcedPipe = capturedIo({ env: { FORCE_COLOR: '1' } });
    const forcedOverNoColor = capturedIo({ env: { FORCE_COLOR: '', NO_COLOR: '1' } });
    const forcedOff = capturedIo({ tty: true, env: { FORCE_COLOR: '0' } });

    // Act
    for (const { io } of [emptyNoColor, forcedPipe, forcedOverNoColor, forcedOff]) await runAuditCommand(EXAMPLE_FLAGS, io);

    // Assess
    const coloured = [emptyNoColor, forcedPipe, forcedOverNoColor, forcedOff].map(({ stdout }) => stdout().includes('\u001b['));
    expect(coloured).toEqual([true, true, true, false]);
  });
});

describe('--kube - (standard input)', () => {
  /** `io` with `text` on its standard input, delivered in small chunks as a pipe would. */
  function withStdin(text: string) {
    const captured = capturedIo();
    const bytes = Buffer.from(text);
    captured.io.stdin = (async function* () {
      for (let start = 0; start < bytes.length; start += 4096) yield bytes.subarray(start, start + 4096);
    })();
    return captured;
  }

  test('audits a capture piped in as the same file would be', async () => {
    // Prepare
    const piped = withStdin(await readFile(EXAMPLE.kube, 'utf8'));
    const fromFile = capturedIo();
    const rest = ['--eks-cluster', EXAMPLE.eksCluster, '--eks-addon', EXAMPLE.eksAddon, '--format', 'jsonl'];

    // Act
    const status = await runAuditCommand(['--kube', '-', ...rest], piped.io);
    await runAuditCommand(['--kube', EXAMPLE.kube, ...rest], fromFile.io);

    // Assess
    const ids = (text: string) => text.trimEnd().split('\n').map((line) => (JSON.parse(line) as Finding).finding_id);
    expect(status).toBe(1);
    expect(piped.stderr()).toBe('');
    expect(ids(piped.stdout())).toEqual(ids(fromFile.stdout()));
  });

  test('a cut capture on stdin is one line naming stdin', async () => {
    // Prepare
    const { io, stderr } = withStdin((await readFile(EXAMPLE.kube, 'utf8')).slice(0, 20_000));

    // Act
    const status = await runAuditCommand(['--kube', '-'], io);

    // Assess
    expect(status).toBe(2);
    expect(stderr()).toBe('error: stdin: truncated JSON\n');
  });

  test('YAML on stdin is read whole', async () => {
    // Prepare
    const { io, stdout } = withStdin('kind: Namespace\napiVersion: v1\nmetadata:\n  name: shop\n---\nkind: NetworkPolicyList\napiVersion: networking.k8s.io/v1\nitems: []\n');

    // Act
    await runAuditCommand(['--kube', '-', '--format', 'jsonl'], io);

    // Assess
    expect(stdout()).toContain('"check_id":"namespace-coverage","status":"FAIL"');
  });
});

describe('options', () => {
  test('--exclude-namespaces says which defaults it no longer excludes and names a namespace it matches nowhere', async () => {
    // Prepare
    const { io, stderr, stdout } = capturedIo();

    // Act
    await runAuditCommand([...EXAMPLE_FLAGS, '--format', 'jsonl', '--exclude-namespaces', 'kube-system,analytcs'], io);

    // Assess
    expect(stderr()).toBe(
      'warning: --exclude-namespaces replaces the default exclusions: kube-public, kube-node-lease are audited too (list them to keep them out)\n' +
        'warning: shop-eu (eu-west-1): --exclude-namespaces names analytcs, which matches no namespace of the cluster\n',
    );
    const control = stdout().trimEnd().split('\n').map((line) => JSON.parse(line) as Finding).find((finding) => finding.check_id === 'control');
    expect(control?.evidence).toMatchObject({ excluded_namespaces: ['kube-system', 'analytcs'], excluded_namespaces_absent: ['analytcs'] });
  });

  test('--fail-on takes the severity in any case', async () => {
    // Prepare
    const capture = await exampleSubset(folder(), ['shop']);

    // Act
    const statuses = await Promise.all(['low', 'LOW', 'medium'].map((severity) => runAuditCommand(['--kube', capture, '--fail-on', severity], capturedIo().io)));

    // Assess: shop's only failures are Low
    expect(statuses).toEqual([1, 1, 0]);
  });

  test('--cluster-name, --region and --account give the same data under two file names the same finding ids', async () => {
    // Prepare
    const first = await exampleSubset(folder(), ['web']);
    const second = join(folder(), 'copy-of-web.json');
    await writeFile(second, await readFile(first));
    const identity = ['--cluster-name', 'shop-eu', '--region', 'eu-west-1', '--account', '111122223333', '--format', 'jsonl'];
    const [a, b, unnamed] = [capturedIo(), capturedIo(), capturedIo()];

    // Act
    await runAuditCommand(['--kube', first, ...identity], a.io);
    await runAuditCommand(['--kube', second, ...identity], b.io);
    await runAuditCommand(['--kube', second, '--format', 'jsonl'], unnamed.io);

    // Assess
    const findings = (text: string) => text.trimEnd().split('\n').map((line) => JSON.parse(line) as Finding);
    const ids = (text: string) => findings(text).map((finding) => finding.finding_id);
    expect(ids(b.stdout())).toEqual(ids(a.stdout()));
    expect(ids(unnamed.stdout())).not.toEqual(ids(a.stdout()));
    expect(findings(a.stdout())[0]?.cluster).toEqual({ name: 'shop-eu', arn: null, account_id: '111122223333', region: 'eu-west-1' });
  });

  test('an identity flag that contradicts describe-cluster is refused, naming the file', async () => {
    // Prepare
    const { io, stderr } = capturedIo();

    // Act
    const status = await runAuditCommand([...EXAMPLE_FLAGS, '--region', 'eu-central-1'], io);

    // Assess
    expect(status).toBe(2);
    expect(stderr()).toBe(`error: ${EXAMPLE.eksCluster}: its region is eu-west-1, not the --region eu-central-1\n`);
  });

  test('--exclude-namespaces "" audits kube-system too (strict CIS)', async () => {
    // Prepare
    const strict = capturedIo();
    const byDefault = capturedIo();

    // Act
    await runAuditCommand([...EXAMPLE_FLAGS, '--format', 'jsonl', '--exclude-namespaces', ''], strict.io);
    await runAuditCommand([...EXAMPLE_FLAGS, '--format', 'jsonl'], byDefault.io);

    // Assess
    const namespaces = (text: string) =>
      text.trimEnd().split('\n').map((line) => (JSON.parse(line) as Finding).resource).filter((resource) => resource.kind === 'Namespace').map((resource) => resource.name);
    expect(namespaces(strict.stdout())).toContain('kube-system');
    expect(namespaces(byDefault.stdout())).not.toContain('kube-system');
  });

  test('--output writes the findings store layout and still prints the findings', async () => {
    // Prepare
    const output = join(folder(), 'store');
    const { io, stdout } = capturedIo();

    // Act
    await runAuditCommand([...EXAMPLE_FLAGS, '--format', 'jsonl', '--output', output], io);

    // Assess
    const printed = stdout().trimEnd().split('\n').map((line) => JSON.parse(line) as Finding);
    const partition = `dt=${printed[0]?.observed_at.slice(0, 10)}`;
    const files = await readdir(join(output, 'findings', partition));
    expect(files).toEqual([`${printed[0]?.run_id}-111122223333-eu-west-1-shop-eu.jsonl.gz`]);
    const stored = gunzipSync(await readFile(join(output, 'findings', partition, files[0]!))).toString('utf8');
    expect(stored.trimEnd().split('\n').map((line) => JSON.parse(line) as Finding)).toEqual(printed);
  });

  test('an --output that cannot be written still prints the findings, then one error line, exit 2', async () => {
    // Prepare: a regular file where the store folder would go.
    const blocked = join(folder(), 'blocked');
    await writeFile(blocked, 'not a folder');
    const { io, stdout, stderr } = capturedIo();

    // Act
    const status = await runAuditCommand([...EXAMPLE_FLAGS, '--format', 'jsonl', '--output', join(blocked, 'store')], io);

    // Assess
    expect(status).toBe(2);
    expect(stdout().trimEnd().split('\n').length).toBeGreaterThan(10);
    expect(stderr()).toMatch(new RegExp(`^error: --output ${blocked}/store: cannot write findings to .*: ENOTDIR\\n$`));
  });

  test('--help prints the usage and exits 0', async () => {
    // Prepare
    const { io, stdout } = capturedIo();

    // Act
    const status = await runAuditCommand(['--kube', 'anything.json', '--help'], io);

    // Assess
    expect(status).toBe(0);
    expect(stdout()).toMatch(/^usage: eks-netpol-auditor audit /);
    expect(stdout()).toContain('--exclude-namespaces');
  });

  test('warnings go to stderr and findings to stdout', async () => {
    // Prepare: pods only, so the kinds that may be empty are assumed, with a warning each.
    const capture = join(folder(), 'pods-only.json');
    const source = JSON.parse(await readFile(EXAMPLE.kube, 'utf8')) as { items: Array<{ kind: string }> };
    await writeFile(capture, JSON.stringify({ ...source, items: source.items.filter((item) => item.kind === 'Pod') }));
    const { io, stdout, stderr } = capturedIo();

    // Act
    await runAuditCommand(['--kube', capture, '--format', 'jsonl'], io);

    // Assess
    expect(stderr()).toContain('warning: no NetworkPolicy objects in the input: taken as none (capture with the README command)\n');
    expect(stdout()).not.toContain('warning');
    expect(stdout().trimEnd().split('\n').every((line) => line.startsWith('{'))).toBe(true);
  });
});

describe('bad usage and unreadable input: one line on stderr, exit 2', () => {
  test.each([
    [['--kube'], 'error: --kube needs a value'],
    [['--nope'], 'error: unknown option --nope (see --help)'],
    [['cluster.json'], 'error: unexpected argument "cluster.json": every input is given with a flag (see --help)'],
    [['--kube', EXAMPLE.kube, '--format', 'xml'], 'error: --format is "xml"; expected one of table, jsonl, json, asff, ocsf'],
    [['--kube', EXAMPLE.kube, '--fail-on', 'High'], 'error: --fail-on is "High"; expected one of Informational, Low, Medium'],
    [['--kube', EXAMPLE.kube, '--kubeconfig', 'kc'], 'error: --kube cannot be combined with --kubeconfig: audit files, a kubeconfig context, or EKS clusters'],
    [['--all-clusters', '--cluster', 'shop-eu'], 'error: --all-clusters cannot be combined with --cluster: choose one'],
    [['--region', 'eu-west-1'], 'error: --region needs --cluster NAME or --all-clusters (or --kube FILE)'],
    [['--cluster', 'shop-eu', '--region', 'Ireland'], 'error: --region "Ireland" is not an AWS region name (e.g. eu-west-1)'],
    [['--cluster', 'shop-eu', '--timeout', 'soon'], 'error: --timeout is "soon"; expected a number of seconds from 0.001 to 86400'],
    [['--cluster', 'shop-eu', '--timeout', '0'], 'error: --timeout is "0"; expected a number of seconds from 0.001 to 86400'],
    [['--cluster', 'shop-eu', '--max-body-mib', '0'], 'error: --max-body-mib is "0"; expected a whole number of MiB from 1 to 1024'],
    [['--cluster', 'shop-eu', '--max-body-mib', '1.5'], 'error: --max-body-mib is "1.5"; expected a whole number of MiB from 1 to 1024'],
    [['--cluster', 'shop-eu', '--max-body-mib', '2048'], 'error: --max-body-mib is "2048"; expected a whole number of MiB from 1 to 1024'],
    [['--kube', EXAMPLE.kube, '--exclude-namespaces', 'Kube_System'], 'error: --exclude-namespaces has "Kube_System", which is not a namespace name'],
    [['--kubeconfig', 'examples/shop-eu/absent-kubeconfig'], 'error: cannot read kubeconfig examples/shop-eu/absent-kubeconfig: no such file'],
    [['--kube', 'examples/shop-eu/absent.json'], 'error: examples/shop-eu/absent.json: no such file'],
  ])('%j', async (args, line) => {
    // Prepare
    const { io, stdout, stderr } = capturedIo();

    // Act
    const status = await runAuditCommand(args, io);

    // Assess
    expect(status).toBe(2);
    expect(stderr()).toBe(`${line}\n`);
    expect(stdout()).toBe('');
  });

  test('a truncated capture is named with what is wrong', async () => {
    // Prepare
    const truncated = join(folder(), 'truncated.json');
    const text = await readFile(EXAMPLE.kube, 'utf8');
    await writeFile(truncated, text.slice(0, 5000));
    const { io, stderr } = capturedIo();

    // Act
    const status = await runAuditCommand(['--kube', truncated], io);

    // Assess
    expect(status).toBe(2);
    expect(stderr()).toBe(`error: ${truncated}: truncated JSON\n`);
  });
});

describe('run ids', () => {
  test('two runs get different, time-sortable run ids', async () => {
    // Prepare
    const first = capturedIo();
    const second = capturedIo();

    // Act
    await runAuditCommand([...EXAMPLE_FLAGS, '--format', 'json'], first.io);
    await runAuditCommand([...EXAMPLE_FLAGS, '--format', 'json'], second.io);

    // Assess
    const runId = (text: string) => (JSON.parse(text) as Finding[])[0]?.run_id ?? '';
    expect(runId(first.stdout())).toMatch(RUN_ID);
    expect(runId(first.stdout())).not.toBe(runId(second.stdout()));
    expect(runId(first.stdout()).slice(0, 16) <= runId(second.stdout()).slice(0, 16)).toBe(true);
  });
});
