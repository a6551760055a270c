/** Weave Net: DaemonSet `weave-net`, which enforces NetworkPolicy only through its separate weave-npc container. */
import { EngineName } from '../engine-verdict.js';
import type { DaemonSet } from '../../snapshot.js';
import { qualifiedName, runsContainer } from '../inputs.js';
import { EngineState, judgement, type EngineRule, type Judgement } from '../rule.js';

function judgeWeave(agent: DaemonSet): Judgement {
  if (runsContainer(agent, 'weave-npc')) {
    return judgement(
      EngineState.Enforcing,
      `DaemonSet ${qualifiedName(agent)} runs Weave Net with its weave-npc policy controller`,
    );
  }
  return judgement(
    EngineState.NotEnforcing,
    `DaemonSet ${qualifiedName(agent)} runs Weave Net without its weave-npc container, so it enforces no NetworkPolicy`,
    `Add Weave Net's weave-npc container to DaemonSet ${qualifiedName(agent)} ` +
      '(redeploy Weave Net from its standard manifest).',
  );
}

/** Weave Net's node agent in kube-system. */
export const weaveRule: EngineRule = {
  engine: EngineName.Weave,
  daemonSet: 'weave-net',
  namespaces: ['kube-system'],
  judge: judgeWeave,
};
