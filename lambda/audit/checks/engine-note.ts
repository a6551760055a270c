/**
 * What the engine verdict means for the policies the coverage checks read: coverage judges isolation by policy, but a
 * reader must learn when the policies are not actually enforced because no engine runs (or none is known to).
 */
import type { EngineVerdict } from '../engines/engine-verdict.js';
import { Status } from '../finding.js';

/** Whether NetworkPolicies are enforced at all, for the evidence and messages of the coverage checks. */
export interface EngineNote {
  /** `true` when an engine enforces policies, `false` when none does, `null` when detection could not decide. */
  enforced: boolean | null;
  /** Appended to a message that mentions policies, so a coverage PASS never reads as "protected" when it is not. */
  note: string;
}

/** The note of `engine` for coverage messages and evidence. */
export function engineNote(engine: EngineVerdict): EngineNote {
  switch (engine.status) {
    case Status.Pass:
      return { enforced: true, note: '' };
    case Status.Fail:
      return { enforced: false, note: ' No NetworkPolicy engine enforces policies in this cluster: they are inert.' };
    default:
      return { enforced: null, note: ' Whether an engine enforces these policies is unknown (see the engine finding).' };
  }
}
