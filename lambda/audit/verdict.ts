/**
 * One verdict of a check on one resource: what a check returns and the finding runner turns into a finding record.
 * Its own module so that checks, the model and the findings module can all name it without importing each other.
 */
import type { FindingResource, FindingSuppression, Severity, Status } from './finding.js';

/** One verdict of a check on one resource; the runner turns it into a finding. */
export interface CheckVerdict {
  status: Status;
  resource: FindingResource;
  message: string;
  /** Overrides the check's default remediation (e.g. a manifest naming the namespace). */
  remediation?: string;
  /** Overrides the check's severity for this verdict (an Admin-tier allow-all is Medium in a Low check). */
  severity?: Severity;
  evidence?: Record<string, unknown>;
  /** Set by the runner, never by a check: the suppression entry that matched (the `control` roll-up reads it). */
  suppression?: FindingSuppression;
}
