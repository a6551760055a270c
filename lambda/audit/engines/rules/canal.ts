/**
 * Canal: Calico's policy engine on flannel networking, shipped as one DaemonSet `canal` whose `calico-node` container
 * enforces NetworkPolicy while `kube-flannel` routes. Without `calico-node` it is flannel alone, which enforces none.
 */
import { EngineName } from '../engine-verdict.js';
import type { DaemonSet } from '../../snapshot.js';
import { qualifiedName, runsContainer } from '../inputs.js';
import { EngineState, judgement, type EngineRule, type Judgement } from '../rule.js';

function judgeCanal(agent: DaemonSet): Judgement {
  if (runsContainer(agent, 'calico-node')) {
    return judgement(
      EngineState.Enforcing,
      `DaemonSet ${qualifiedName(agent)} runs Canal, whose calico-node container enforces NetworkPolicy with ` +
        'Calico on flannel networking',
    );
  }
  return judgement(
    EngineState.NotEnforcing,
    `DaemonSet ${qualifiedName(agent)} runs Canal without its calico-node container, which leaves flannel ` +
      'networking alone and enforces no NetworkPolicy',
    `Restore the calico-node container of DaemonSet ${qualifiedName(agent)} ` +
      '(redeploy Canal from its standard manifest).',
  );
}

/** Canal's node agent, judged as Calico (the engine that enforces) with `canal` as its variant. */
export const canalRule: EngineRule = {
  engine: EngineName.Calico,
  variant: 'canal',
  daemonSet: 'canal',
  namespaces: ['kube-system'],
  judge: judgeCanal,
};
