/**
 * The contract between a check and the code that runs it: a check is a pure function of the audit context that
 * returns verdicts; titles, severities, requirements and default remediation live in `checks/index.ts`, not here.
 */
import type { AuditOptions, CheckId } from './finding.js';
import type { ClusterSnapshot } from './snapshot.js';
import type { AuditModel } from './model.js';
import type { EngineVerdict } from './engines/engine-verdict.js';
import type { CheckVerdict } from './verdict.js';

/** Everything a check may read: the raw snapshot, the run options, the derived indexes, the engine verdict. */
export interface AuditContext {
  snapshot: ClusterSnapshot;
  options: AuditOptions;
  model: AuditModel;
  engine: EngineVerdict;
}

/** A check: its id and a pure function of the context. */
export interface Check {
  id: CheckId;
  evaluate(context: AuditContext): CheckVerdict[];
}
