/**
 * CNIs that route pod traffic but enforce no NetworkPolicy, recognised by their DaemonSet names, so a FAIL can say
 * what the cluster runs instead of an engine.
 */
import type { DaemonSet } from '../snapshot.js';
import { qualifiedName } from './inputs.js';

const NON_ENGINES = [
  { cni: 'flannel', pattern: /flannel/ },
  { cni: 'kindnet', pattern: /kindnet/ },
  { cni: 'Multus', pattern: /multus/ },
] as const;

function nonEngines(daemonSets: readonly DaemonSet[]): Array<{ cni: string; daemonSet: string }> {
  return daemonSets.flatMap((daemonSet) => {
    const match = NON_ENGINES.find(({ pattern }) => pattern.test(daemonSet.metadata.name));
    return match ? [{ cni: match.cni, daemonSet: qualifiedName(daemonSet) }] : [];
  });
}

/** `non_enforcing_cnis` evidence listing the CNIs without NetworkPolicy support; empty when there are none. */
export function nonEngineEvidence(daemonSets: readonly DaemonSet[]): Record<string, unknown> {
  const found = nonEngines(daemonSets);
  if (found.length === 0) return {};
  return {
    non_enforcing_cnis: found.map(({ cni, daemonSet }) => ({
      cni,
      daemon_set: daemonSet,
      note: 'CNI without NetworkPolicy support',
    })),
  };
}

/** One sentence per CNI without NetworkPolicy support, for a FAIL message. */
export function nonEngineSentences(daemonSets: readonly DaemonSet[]): string[] {
  return nonEngines(daemonSets).map(
    ({ cni, daemonSet }) => `${cni} (DaemonSet ${daemonSet}) is a CNI without NetworkPolicy support.`,
  );
}
