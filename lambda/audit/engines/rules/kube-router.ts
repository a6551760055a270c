/** kube-router: DaemonSet `kube-router`, whose firewall enforces NetworkPolicy unless `--run-firewall=false`. */
import { EngineName } from '../engine-verdict.js';
import type { DaemonSet } from '../../snapshot.js';
import { firstFlag } from '../flags.js';
import { containersOf, qualifiedName } from '../inputs.js';
import { EngineState, judgement, type EngineRule, type Judgement } from '../rule.js';

function judgeKubeRouter(agent: DaemonSet): Judgement {
  if (firstFlag(containersOf(agent), 'run-firewall') === false) {
    return judgement(
      EngineState.NotEnforcing,
      `DaemonSet ${qualifiedName(agent)} runs kube-router with --run-firewall=false, so it enforces no NetworkPolicy`,
      `Remove --run-firewall=false from DaemonSet ${qualifiedName(agent)}.`,
    );
  }
  return judgement(EngineState.Enforcing, `DaemonSet ${qualifiedName(agent)} runs kube-router with its firewall on`);
}

/** kube-router's node agent in kube-system. */
export const kubeRouterRule: EngineRule = {
  engine: EngineName.KubeRouter,
  daemonSet: 'kube-router',
  namespaces: ['kube-system'],
  judge: judgeKubeRouter,
};
