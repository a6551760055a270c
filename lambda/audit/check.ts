/**
 * The contract between a check and the code that runs it: a check is a pure function of the audit context that
 * returns verdicts; titles, severities, requirements and default remediation live in `checks/index.ts`, not here.
 */
import type { FindingResource, AuditOptions, Status, CheckId, FindingSuppression } from './finding.js';
import type { ClusterSnapshot, DaemonSet } from './snapshot.js';
import type { AuditModel } from './model.js';

/** NetworkPolicy engines the audit recognises, by the name reported in evidence and messages. */
export const EngineName = {
  VpcCni: 'aws-vpc-cni',
  Calico: 'calico',
  Cilium: 'cilium',
  Antrea: 'antrea',
  Weave: 'weave-net',
  KubeRouter: 'kube-router',
} as const;
export type EngineName = (typeof EngineName)[keyof typeof EngineName];

/** What engine detection concluded for a cluster; computed once per audit by `detectEngine` (engines.ts). */
export interface EngineVerdict {
  /** PASS: at least one engine enforces; FAIL: none does; UNKNOWN: the input cannot decide. */
  status: Status;
  /** Engines found enforcing NetworkPolicy. */
  enforcing: EngineName[];
  message: string;
  remediation?: string;
  evidence: Record<string, unknown>;
  /** The node-agent DaemonSets of the enforcing engines, for `engine-health`. */
  agents: DaemonSet[];
}

/** Everything a check may read: the raw snapshot, the run options, the derived indexes, the engine verdict. */
export interface AuditContext {
  snapshot: ClusterSnapshot;
  options: AuditOptions;
  model: AuditModel;
  engine: EngineVerdict;
}

/** One verdict of a check on one resource; the runner turns it into a {@link Finding}. */
export interface CheckVerdict {
  status: Status;
  resource: FindingResource;
  message: string;
  /** Overrides the check's default remediation (e.g. a manifest naming the namespace). */
  remediation?: string;
  evidence?: Record<string, unknown>;
  /** Set by the runner, never by a check: the suppression entry that matched (the `control` roll-up reads it). */
  suppression?: FindingSuppression;
}

/** A check: its id and a pure function of the context. */
export interface Check {
  id: CheckId;
  evaluate(context: AuditContext): CheckVerdict[];
}
