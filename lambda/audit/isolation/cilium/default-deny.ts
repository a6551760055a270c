/**
 * Cilium's `enable-policy: always` (POLICY-APIS.md §3.3): every endpoint is enforced, selected or not, so traffic no
 * policy allows is dropped in both directions. Unlike the VPC CNI's strict mode there is no catch-all: a policy that
 * selects a pod for one direction leaves the other denied.
 */
import { EngineName, type EngineVerdict } from '../../engines/engine-verdict.js';
import { CiliumPolicyMode, runningCiliumSettings } from '../../engines/rules/cilium.js';
import type { ClusterSnapshot } from '../../snapshot.js';
import type { DefaultDeny } from '../decision.js';

/** The default deny of Cilium's `always` mode where Cilium enforces, with its evidence. */
export function ciliumDefaultDeny(snapshot: ClusterSnapshot, engine: EngineVerdict): { defaultDeny?: DefaultDeny; evidence: Record<string, unknown> } {
  if (!engine.enforcing.includes(EngineName.Cilium)) return { evidence: {} };
  const mode = runningCiliumSettings(snapshot)?.mode;
  const evidence = mode === undefined ? {} : { cilium_enable_policy: mode };
  if (mode !== CiliumPolicyMode.Always) return { evidence };
  return { defaultDeny: { clause: 'denied by default: Cilium enable-policy: always, every pod is enforced', liftedBySelection: false }, evidence };
}
