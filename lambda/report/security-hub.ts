/**
 * Importing findings into AWS Security Hub: BatchImportFindings in batches of at most 100 (the API's limit), each
 * batch retried with exponential backoff and full jitter while Security Hub throttles (10 calls a second per account
 * and Region), and every finding it refuses — in a partial failure or a batch that failed for good — reported by id.
 * PASS findings are imported too, so Security Hub sees a fixed finding pass; a gone resource's finding is ARCHIVED
 * (asff.ts).
 */
import { BatchImportFindingsCommand, SecurityHubClient, type AwsSecurityFinding, type SecurityHubClientConfig } from '@aws-sdk/client-securityhub';
import type { Finding } from '../audit/finding.js';
import { awsFailureText } from '../aws-failure.js';
import { AsffError, toAsff, type AsffFallback } from './asff.js';

/** Findings per BatchImportFindings call: the API takes at most 100. */
export const SECURITY_HUB_BATCH_SIZE = 100;

/** Attempts per batch while Security Hub throttles, the first included. */
export const SECURITY_HUB_MAX_ATTEMPTS = 6;

/** The errors that mean "slow down", not "this batch is wrong". */
const THROTTLING = new Set(['TooManyRequestsException', 'ThrottlingException', 'LimitExceededException']);

/** A Security Hub client of `region`; the SDK's own retries are left at one attempt, this module retries. */
export function createSecurityHubClient(region: string, overrides: SecurityHubClientConfig = {}): SecurityHubClient {
  return new SecurityHubClient({ region, maxAttempts: 1, ...overrides });
}

/** What an import did: how many findings Security Hub took, and each one it did not, with why. */
export interface ImportOutcome {
  imported: number;
  failed: Array<{ id: string; reason: string }>;
}

/** How the import waits between attempts (tests pass a recorder). */
export interface ImportOptions {
  sleep?: (ms: number) => Promise<void>;
  /** The first backoff; doubled at each attempt, with full jitter. */
  baseDelayMs?: number;
  random?: () => number;
}

/**
 * Imports `findings` through `client`, `fallback` addressing those without an account or region of their own. Never
 * throws: a batch that still fails after its attempts, or a finding that cannot be addressed, is in `failed`.
 */
export async function importFindings(
  client: SecurityHubClient,
  findings: readonly Finding[],
  fallback: AsffFallback,
  options: ImportOptions = {},
): Promise<ImportOutcome> {
  const outcome: ImportOutcome = { imported: 0, failed: [] };
  const asff: AwsSecurityFinding[] = [];
  for (const finding of findings) {
    try {
      asff.push(toAsff(finding, fallback));
    } catch (error) {
      if (!(error instanceof AsffError)) throw error;
      outcome.failed.push({ id: finding.finding_id, reason: error.message });
    }
  }
  for (let start = 0; start < asff.length; start += SECURITY_HUB_BATCH_SIZE) {
    const batch = asff.slice(start, start + SECURITY_HUB_BATCH_SIZE);
    const result = await importBatch(client, batch, options);
    outcome.imported += result.imported;
    outcome.failed.push(...result.failed);
  }
  return outcome;
}

async function importBatch(client: SecurityHubClient, batch: AwsSecurityFinding[], options: ImportOptions): Promise<ImportOutcome> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  const base = options.baseDelayMs ?? 200;
  for (let attempt = 1; ; attempt += 1) {
    try {
      const answer = await client.send(new BatchImportFindingsCommand({ Findings: batch }));
      const failed = (answer.FailedFindings ?? []).map((refused) => ({
        id: refused.Id ?? '(no id)',
        reason: `${refused.ErrorCode ?? 'refused'}: ${refused.ErrorMessage ?? 'no message'}`,
      }));
      return { imported: answer.SuccessCount ?? batch.length - failed.length, failed };
    } catch (error) {
      const name = (error as { name?: string }).name ?? '';
      if (!THROTTLING.has(name) || attempt >= SECURITY_HUB_MAX_ATTEMPTS) {
        const reason = `BatchImportFindings failed${THROTTLING.has(name) ? ` after ${attempt} attempts` : ''}: ${awsFailureText(error)}`;
        return { imported: 0, failed: batch.map((finding) => ({ id: finding.Id ?? '(no id)', reason })) };
      }
      await sleep(Math.floor(random() * base * 2 ** (attempt - 1)));
    }
  }
}
