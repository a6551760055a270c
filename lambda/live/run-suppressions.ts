/**
 * Where a scheduled run's suppressions come from: the file deployed with the function (validated at synth, so a bad
 * entry never deploys) and, optionally, an object in the findings bucket that a security team can change without a
 * deploy, read again at every run. A source that cannot be used is left out and reported: the run then alerts on
 * what it would have suppressed, never the other way round.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { AuditorConfig } from '../config.js';
import { parseSuppressions, readSuppressionsFile, type SuppressionEntry } from '../lifecycle/suppressions.js';
import { readBytes } from '../report/run-state.js';

/** The run's suppression entries, and one line per source that could not be used. */
export interface RunSuppressions {
  entries: SuppressionEntry[];
  problems: string[];
}

/** Reads the configured sources; an absent bucket object is simply no entries. */
export async function runSuppressions(config: AuditorConfig, s3: S3Client): Promise<RunSuppressions> {
  const result: RunSuppressions = { entries: [], problems: [] };
  if (config.suppressionsFile) {
    try {
      result.entries.push(...(await readSuppressionsFile(config.suppressionsFile)));
    } catch (error) {
      result.problems.push(`suppressions not applied: ${(error as Error).message}`);
    }
  }
  if (config.suppressionsKey) {
    const source = `s3://${config.bucket}/${config.suppressionsKey}`;
    try {
      const body = await readBytes(s3, config.bucket, config.suppressionsKey);
      if (body) result.entries.push(...parseSuppressions(source, body.toString('utf8')));
    } catch (error) {
      const message = (error as Error).message;
      result.problems.push(`suppressions not applied: ${message.startsWith(source) ? message : `${source}: ${message}`}`);
    }
  }
  return result;
}
