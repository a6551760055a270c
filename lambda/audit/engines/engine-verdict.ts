/**
 * What engine detection concludes, as every other part of the audit reads it: the engines the audit recognises and
 * the verdict `detectEngine` computes once per cluster. A module of types, so checks, the isolation model and the
 * engine rules share them without importing one another.
 */
import type { Status } from '../finding.js';
import type { DaemonSet } from '../snapshot.js';

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
