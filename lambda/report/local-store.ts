/**
 * The findings store in a local folder (`--output DIR`): the same objects, at the same relative paths, as the S3 store,
 * so the folder can be queried like the bucket (DuckDB with `hive_partitioning`) or copied into it.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Finding } from '../audit/finding.js';
import { findingsObjects } from './jsonl.js';
import { FINDINGS_PREFIX } from './store-layout.js';

/**
 * Writes one gzipped JSON Lines file per cluster per run under `directory/findings/dt=YYYY-MM-DD/`, creating the
 * folders, overwriting a file of the same run, and returns the paths written. A file that cannot be written throws
 * one line naming the path and the system's reason.
 */
export async function writeFindingsToDirectory(directory: string, findings: Finding[]): Promise<string[]> {
  const paths: string[] = [];
  for (const object of findingsObjects(FINDINGS_PREFIX, findings)) {
    const path = join(directory, object.key);
    try {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, object.body);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new Error(`cannot write findings to ${path}: ${reason}`);
    }
    paths.push(path);
  }
  return paths;
}
