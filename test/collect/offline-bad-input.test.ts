import { constants } from 'node:buffer';
import { truncate, writeFile } from 'node:fs/promises';
import { InputError, loadOfflineSnapshot } from '../../lambda/collect/offline.js';
import { inputFolder, list, networkPolicy, pod, warnings, type InputFolder } from './offline-helpers.js';

let folder: InputFolder;
beforeEach(async () => {
  folder = await inputFolder();
});
afterEach(() => folder.remove());

/** The error `loadOfflineSnapshot` throws for `--kube file`, checked to be a one-line InputError. */
async function loadError(file: string): Promise<string> {
  const error = await loadOfflineSnapshot({ kube: [file], eksAddons: [] }, warnings().warn).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(InputError);
  const message = (error as InputError).message;
  expect(message).not.toContain('\n');
  return message;
}

describe('unreadable files stop loading with one line naming the file', () => {
  test('a YAML alias bomb is refused, naming the file, before it expands', async () => {
    // Prepare: nine levels of nine aliases each would expand to 387 million strings
    const levels = ['a0: &a0 [x, x, x, x, x, x, x, x, x]'];
    for (let level = 1; level < 9; level += 1) levels.push(`a${level}: &a${level} [${Array(9).fill(`*a${level - 1}`).join(', ')}]`);
    const file = await folder.write('bomb.yaml', `${levels.join('\n')}\nkind: List\nitems: []\n`);

    // Act
    const message = await loadError(file);

    // Assess
    expect(message).toMatch(new RegExp(`^${file}: YAML aliases expand too far \\(more than 100 uses of an alias\\)`));
  });

  test.each([
    ['with a byte-order mark', 'UTF-16LE', (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])],
    ['big-endian', 'UTF-16BE', (text: string) => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()])],
    ['without a byte-order mark', 'UTF-16LE', (text: string) => Buffer.from(text, 'utf16le')],
  ])('UTF-16 input (%s, as PowerShell writes it) is named as such', async (_case, encoding, encode) => {
    // Prepare
    const file = await folder.write('cluster.json', 'placeholder');
    await writeFile(file, encode(JSON.stringify(list([pod('shop', 'web-1')]))));

    // Act
    const message = await loadError(file);

    // Assess
    expect(message).toBe(`${file}: is ${encoding} text, not UTF-8 (PowerShell's > writes UTF-16): convert it with iconv -f ${encoding} -t UTF-8, or capture with kubectl … | Out-File -Encoding utf8`);
  });

  test('text that is neither JSON nor YAML gives its line and column', async () => {
    // Prepare
    const file = await folder.write('cluster.json', 'apiVersion: v1\nkind: List\nitems: [a: b: c\n');

    // Act
    const message = await loadError(file);

    // Assess
    expect(message).toMatch(new RegExp(`^${file}: not JSON or YAML \\(line 3, column \\d+: .+\\)$`));
  });

  test('malformed JSON gives the line and column of the JSON error without quoting the content', async () => {
    // Prepare
    const file = await folder.write('cluster.json', '{\n  "kind": "List",\n  "items": [ {"token": "abc" "x": 1} ]\n}\n');

    // Act
    const message = await loadError(file);

    // Assess
    expect(message).toBe(`${file}: not JSON or YAML (line 3, column 30: Expected ',' or '}' after property value)`);
    expect(message).not.toContain('abc');
  });

  test('a JSON capture cut short is reported as truncated', async () => {
    // Prepare
    const whole = JSON.stringify(list([pod('shop', 'web-1'), pod('shop', 'web-2')]), null, 2);
    const file = await folder.write('cluster.json', whole.slice(0, Math.floor(whole.length / 2)));

    // Act
    const message = await loadError(file);

    // Assess
    expect(message).toBe(`${file}: truncated JSON`);
  });

  test('an empty file is reported as empty', async () => {
    // Prepare
    const file = await folder.write('cluster.json', '  \n');

    // Act
    const message = await loadError(file);

    // Assess
    expect(message).toBe(`${file}: empty file`);
  });

  test('a missing file is reported as missing', async () => {
    // Prepare
    const file = `${await folder.write('present.json', '{}')}.absent`;

    // Act
    const message = await loadError(file);

    // Assess
    expect(message).toBe(`${file}: no such file`);
  });

  test('YAML too large to hold as one string says so and how to fix it, before reading it', async () => {
    // Prepare: a sparse file takes no disk space but has the size of a 1 GB kubectl capture
    const file = await folder.write('huge.json', '');
    await truncate(file, 1024 * 2 ** 20);

    // Act
    const message = await loadError(file);

    // Assess
    const limit = Math.floor(constants.MAX_STRING_LENGTH / 2 ** 20);
    expect(message).toBe(`${file}: is 1024 MiB, more than the ${limit} MiB YAML input can have: capture with -o json, which streams at any size`);
  });

  test('a document that is not an object, or has neither kind nor items, is not kubectl output', async () => {
    // Prepare
    const scalar = await folder.write('scalar.yaml', 'just some words\n');
    const describeOutput = await folder.write('describe.json', { cluster: { name: 'shop-eu' } });

    // Act
    const messages = [await loadError(scalar), await loadError(describeOutput)];

    // Assess
    expect(messages).toEqual([
      `${scalar}: document is not a Kubernetes object or List`,
      `${describeOutput}: document is not \`kubectl get\` output (no kind and no items)`,
    ]);
  });

  test('describe-cluster output of the wrong shape names the file and what was expected', async () => {
    // Prepare
    const kube = await folder.write('cluster.json', list([]));
    const cluster = await folder.write('eks-cluster.json', { clusters: ['shop-eu'] });

    // Act
    const error = await loadOfflineSnapshot({ kube: [kube], eksCluster: cluster, eksAddons: [] }, warnings().warn).catch(
      (thrown: unknown) => thrown,
    );

    // Assess
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(
      `${cluster}: not \`aws eks describe-cluster\` output (expected {"cluster": {"name": …}})`,
    );
  });

  test('describe-addon output with a field of the wrong type names the field', async () => {
    // Prepare
    const addon = await folder.write('addon.json', { addon: { addonName: 'vpc-cni', configurationValues: { enableNetworkPolicy: 'true' } } });

    // Act
    const error = await loadOfflineSnapshot({ kube: [], eksAddons: [addon] }, warnings().warn).catch((thrown: unknown) => thrown);

    // Assess
    expect((error as Error).message).toBe(`${addon}: addon.configurationValues is not a string`);
  });
});

describe('bad objects are skipped with one warning naming file, place and object', () => {
  test('items lacking kind or metadata.name are skipped and the rest is loaded', async () => {
    // Prepare
    const file = await folder.write(
      'cluster.json',
      list([pod('shop', 'web-1'), { metadata: { name: 'mystery', namespace: 'shop' } }, { apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'shop' } }]),
    );
    const { warn, lines } = warnings();

    // Act
    const snapshot = await loadOfflineSnapshot({ kube: [file], eksAddons: [] }, warn);

    // Assess
    expect(snapshot.kube.pods?.map((object) => object.metadata.name)).toEqual(['web-1']);
    expect(lines.slice(0, 2)).toEqual([
      `${file}: items[1] (no kind shop/mystery): kind is missing; skipped`,
      `${file}: items[2] (Pod shop/no name): metadata.name is missing; skipped`,
    ]);
  });

  test('every skipped object is recorded in the snapshot with its place, so the audit knows it is incomplete', async () => {
    // Prepare
    const file = await folder.write('cluster.json', list([pod('shop', 'web-1'), 'not an object', { apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'shop' } }]));

    // Act
    const snapshot = await loadOfflineSnapshot({ kube: [file], eksAddons: [] }, warnings().warn);

    // Assess
    expect(snapshot.skipped).toEqual([
      { place: `${file}: items[1]`, object: 'no kind no name', reason: 'not an object' },
      { place: `${file}: items[2]`, object: 'Pod shop/no name', reason: 'metadata.name is missing' },
    ]);
  });

  test('a NetworkPolicy whose selector has an unknown operator is skipped with a warning naming the policy', async () => {
    // Prepare
    const bad = networkPolicy('shop', 'allow-web', {
      podSelector: { matchExpressions: [{ key: 'app', operator: 'Contains', values: ['web'] }] },
    });
    const file = await folder.write('cluster.json', list([pod('shop', 'web-1'), bad]));
    const { warn, lines } = warnings();

    // Act
    const snapshot = await loadOfflineSnapshot({ kube: [file], eksAddons: [] }, warn);

    // Assess
    expect(snapshot.kube.networkPolicies).toEqual([]);
    expect(lines[0]).toBe(
      `${file}: items[1] (NetworkPolicy shop/allow-web): spec.podSelector.matchExpressions[0].operator "Contains" ` +
        'is not one of In, NotIn, Exists, DoesNotExist; skipped',
    );
  });

  test('a bad selector inside an ingress peer is found too', async () => {
    // Prepare
    const bad = networkPolicy('shop', 'from-frontend', {
      podSelector: {},
      ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'In' }] } }] }],
    });
    const file = await folder.write('cluster.json', list([bad]));
    const { warn, lines } = warnings();

    // Act
    await loadOfflineSnapshot({ kube: [file], eksAddons: [] }, warn);

    // Assess
    expect(lines).toEqual([
      `${file}: items[0] (NetworkPolicy shop/from-frontend): spec.ingress[0].from[0].namespaceSelector.matchExpressions[0].values ` +
        'must not be empty for operator In; skipped',
    ]);
  });

  test('a field of the wrong type is skipped rather than handed to the checks', async () => {
    // Prepare
    const broken = { ...pod('shop', 'web-2'), spec: { hostNetwork: 'yes' } };
    const file = await folder.write('cluster.json', list([pod('shop', 'web-1'), broken]));
    const { warn, lines } = warnings();

    // Act
    const snapshot = await loadOfflineSnapshot({ kube: [file], eksAddons: [] }, warn);

    // Assess
    expect(snapshot.kube.pods?.map((object) => object.metadata.name)).toEqual(['web-1']);
    expect(lines[0]).toBe(`${file}: items[1] (Pod shop/web-2): spec.hostNetwork is not true or false; skipped`);
  });

  test('a 1 MB label value loads whole, and a 1 MB selector value gives a short warning', async () => {
    // Prepare
    const huge = 'a'.repeat(1024 * 1024);
    const bigPolicy = networkPolicy('shop', 'huge', { podSelector: { matchLabels: { app: huge } } });
    const file = await folder.write('cluster.json', list([pod('shop', 'web-1', { app: huge }), bigPolicy]));
    const { warn, lines } = warnings();

    // Act
    const snapshot = await loadOfflineSnapshot({ kube: [file], eksAddons: [] }, warn);

    // Assess
    expect(snapshot.kube.pods?.[0]?.metadata.labels?.app).toHaveLength(huge.length);
    expect(lines[0]).toMatch(/items\[1\] \(NetworkPolicy shop\/huge\): spec\.podSelector\.matchLabels\["app"\] .*longer than 63/);
    expect(lines[0]?.length).toBeLessThan(300);
  });

  test('a 1 MB name is clipped in the warning', async () => {
    // Prepare
    const file = await folder.write('cluster.json', list([{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'n'.repeat(1024 * 1024) } }]));
    const { warn, lines } = warnings();

    // Act
    await loadOfflineSnapshot({ kube: [file], eksAddons: [] }, warn);

    // Assess
    expect(lines[0]).toMatch(/^.*: items\[0\] \(Pod n{80}…\): metadata\.namespace is missing; skipped$/);
  });
});
