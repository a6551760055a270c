/**
 * The release of an engine whose node agent's image is the engine's own build (`quay.io/calico/node:v3.29.1`,
 * `antrea/antrea-agent-ubuntu:v2.1.0`): the image tag of its agent container. It gates the upstream admin policies
 * (POLICY-APIS.md §2). A tag that is not a release (`latest`, a digest), a vendor build with its own numbering (Calico
 * Enterprise's `tigera/cnx-node`) or a missing agent gives no version, so a gate on it is never taken as met.
 */
import type { ClusterSnapshot } from '../snapshot.js';
import { containersOf, qualifiedName } from './inputs.js';
import { isAgentOf, type EngineRule } from './rule.js';
import { antreaRule } from './rules/antrea.js';
import { calicoRule } from './rules/calico.js';
import { canalRule } from './rules/canal.js';
import { imageTag, parseVersion, type FoundVersion } from './versions.js';

/** Where an engine's release shows: its agents, the container, and the image repositories of its own builds. */
interface AgentImage {
  /** How messages name the project whose builds these are. */
  product: string;
  rules: readonly EngineRule[];
  container: string;
  repository: RegExp;
}

/** Calico's calico-node container, in its own DaemonSet or in Canal's. */
export const CALICO_IMAGE: AgentImage = { product: 'Calico', rules: [calicoRule, canalRule], container: 'calico-node', repository: /(^|\/)calico\/node$/ };

/** Antrea's antrea-agent container (`antrea-ubuntu` before 1.15, `antrea-agent-ubuntu` since). */
export const ANTREA_IMAGE: AgentImage = { product: 'Antrea', rules: [antreaRule], container: 'antrea-agent', repository: /(^|\/)antrea\/antrea-[a-z-]+$/ };

/** The release `where` shows in `snapshot`, and where it was read, or why it could not be. */
export function agentImageVersion(snapshot: ClusterSnapshot, where: AgentImage): FoundVersion {
  const agent = snapshot.kube.daemonSets?.find((daemonSet) => where.rules.some((rule) => isAgentOf(rule, daemonSet)));
  if (agent === undefined) return { source: `no ${where.container} DaemonSet was read` };
  const source = `the ${where.container} image of ${qualifiedName(agent)}`;
  const image = containersOf(agent).find((container) => container.name === where.container)?.image;
  if (image === undefined) return { source: `${qualifiedName(agent)} names no ${where.container} image` };
  const repository = image.split('@')[0].replace(/:[^/:]*$/, '');
  const tag = imageTag(image);
  if (!where.repository.test(repository)) return { source: `${source} (${image}) is not ${where.product}'s own build, whose releases the gates name` };
  if (parseVersion(tag) === undefined) return { source: `${source} (${image}) names no version` };
  return { version: tag, source };
}
