/**
 * The offline format of a live collection, for `eks-netpol-auditor capture`: one `List` holding a typed list per
 * kind that was read (so a kind read and empty stays read, which an untyped `kubectl get` List cannot show), and the
 * discovery facts about the policy APIs (`APIGroupList`, one `APIResourceList` per served group version), so an
 * offline audit of it knows "not installed" from "not captured". A kind that could not be read has no list.
 */
import { apiVersionOf, KINDS } from '../audit/kinds.js';
import type { KubeCollection } from './kubernetes.js';

/** The capture document of `collection`, ready for `JSON.stringify`. */
export function captureDocument(collection: KubeCollection): Record<string, unknown> {
  const lists = KINDS.flatMap((spec) => {
    const objects = collection.kube[spec.bucket];
    if (objects === undefined) return [];
    return [{ apiVersion: apiVersionOf(spec), kind: `${spec.kind}List`, metadata: {}, items: objects }];
  });
  const served = KINDS.filter((spec) => !spec.builtIn && collection.servedKinds[spec.bucket] === true);
  // A group list says every group it leaves out is not served: only write one when every policy API is known.
  const allKnown = KINDS.every((spec) => spec.builtIn || collection.servedKinds[spec.bucket] !== undefined);
  const groupVersions = new Map<string, string[]>();
  for (const spec of served) groupVersions.set(apiVersionOf(spec), [...(groupVersions.get(apiVersionOf(spec)) ?? []), spec.plural]);
  const groupList = {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...groupVersions.keys()].map((groupVersion) => {
      const [name, version] = groupVersion.split('/') as [string, string];
      return { name, versions: [{ groupVersion, version }] };
    }),
  };
  const resourceLists = [...groupVersions].map(([groupVersion, plurals]) => ({
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion,
    resources: plurals.map((name) => ({ name })),
  }));
  const discovery = allKnown ? [groupList, ...resourceLists] : resourceLists;
  return { apiVersion: 'v1', kind: 'List', metadata: {}, items: [...lists, ...discovery] };
}
