/**
 * Check `engine`: is a NetworkPolicy engine enabled and enforcing? The decision is made once per audit by
 * `detectEngine` (engines.ts); this check states it as one verdict on the cluster.
 */
import type { Check } from '../check.js';
import { CheckId } from '../finding.js';
import { clusterResource } from '../model.js';

/** One verdict on the Cluster resource carrying the engine verdict's status, message, remediation and evidence. */
export const engineCheck: Check = {
  id: CheckId.Engine,
  evaluate({ snapshot, engine }) {
    return [
      {
        status: engine.status,
        resource: clusterResource(snapshot),
        message: engine.message,
        ...(engine.remediation ? { remediation: engine.remediation } : {}),
        evidence: engine.evidence,
      },
    ];
  },
};
