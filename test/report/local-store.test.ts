import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeFindings } from '../../lambda/report/jsonl.js';
import { writeFindingsToDirectory } from '../../lambda/report/local-store.js';
import { finding, findingCluster } from './fixtures.js';

describe('writeFindingsToDirectory', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'findings-'));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('writes one file per cluster per run under findings/dt=…/, creating the folders', async () => {
    // Prepare
    const prod = [finding(), finding({ check_id: 'engine', resource: { kind: 'Cluster', namespace: null, name: 'prod' } })];
    const dev = [finding({ cluster: findingCluster('dev') })];

    // Act
    const paths = await writeFindingsToDirectory(join(directory, 'out'), [...prod, ...dev]);

    // Assess
    expect(paths).toEqual([
      join(directory, 'out/findings/dt=2024-05-01/run-1-123456789012-eu-west-1-prod.jsonl.gz'),
      join(directory, 'out/findings/dt=2024-05-01/run-1-123456789012-eu-west-1-dev.jsonl.gz'),
    ]);
    expect(decodeFindings(await readFile(paths[0]!))).toEqual(prod);
    expect(decodeFindings(await readFile(paths[1]!))).toEqual(dev);
  });

  it('overwrites the file of a retried run instead of adding one', async () => {
    // Prepare
    const [first] = await writeFindingsToDirectory(directory, [finding({ message: 'first try' })]);

    // Act
    const [second] = await writeFindingsToDirectory(directory, [finding({ message: 'retry' })]);

    // Assess
    expect(second).toBe(first);
    expect(decodeFindings(await readFile(second!)).map((stored) => stored.message)).toEqual(['retry']);
  });

  it('fails with one line naming the path when the folder cannot be created', async () => {
    // Prepare
    const blocked = join(directory, 'file');
    await writeFile(blocked, 'not a folder');

    // Act
    const writing = writeFindingsToDirectory(blocked, [finding()]);

    // Assess
    await expect(writing).rejects.toThrow(
      `cannot write findings to ${join(blocked, 'findings/dt=2024-05-01/run-1-123456789012-eu-west-1-prod.jsonl.gz')}: ENOTDIR`,
    );
  });
});
