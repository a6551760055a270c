/**
 * The live audit and the offline audit agree: every case folder of test/cases is loaded offline, its inventory served
 * by the Kubernetes API test server, collected live through client-node, and both snapshots are audited with the same
 * options and cluster identity. The findings must be identical, and the requests few (lists, not per-namespace reads).
 *
 * A kind the capture lacks is one the server forbids (403), as a live cluster would withhold it: the collector must
 * leave exactly those kinds unread, each with a 403 problem. Those problems are worded differently from the offline
 * loader's ("not in the input files"), and findings quote them, so the findings are compared with the live inventory
 * and the offline problems' words.
 */
import { basename } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { auditSnapshot } from '../lambda/audit/index.js';
import { KINDS } from '../lambda/audit/kinds.js';
import type { ClusterSnapshot, KubeInventory } from '../lambda/audit/snapshot.js';
import { collectKubeInventory, type KubeCollection } from '../lambda/collect/kubernetes.js';
import { loadOfflineSnapshot } from '../lambda/collect/offline.js';
import { caseOptions, caseSources, listCases } from './support/cases.js';
import { kubeConfigFor, startKubeApiServer, type KubeApiServer } from './support/kube-api-server.js';

// Small pages, so that every case with more than a couple of objects of a kind is read over several pages.
const PAGE_SIZE = 2;
// Every row of the kinds table is listed, except ConfigMaps: only the engine ones are read, by name.
const LIST_BUCKETS = KINDS.filter((spec) => spec.bucket !== 'configMaps').map((spec) => spec.bucket);
const ENGINE_CONFIG_MAPS = 3;

/** The pages a complete read of `inventory` takes: one per `PAGE_SIZE` objects, at least one per list. */
function expectedPages(inventory: KubeInventory): number {
  return LIST_BUCKETS.reduce((pages, bucket) => pages + Math.max(1, Math.ceil((inventory[bucket]?.length ?? 0) / PAGE_SIZE)), 0);
}

describe.each(listCases().map((dir) => [basename(dir), dir]))('%s', (_name, dir) => {
  let offline: ClusterSnapshot;
  let server: KubeApiServer;
  let live: KubeCollection;

  beforeAll(async () => {
    offline = await loadOfflineSnapshot(caseSources(dir), () => undefined);
    server = await startKubeApiServer({ inventory: offline.kube });
    live = await collectKubeInventory(kubeConfigFor(server), { pageSize: PAGE_SIZE });
  });
  afterAll(() => server.close());

  it('leaves unread exactly the kinds the capture lacks, each as a 403 problem', () => {
    // Prepare
    const unread = offline.problems.map((problem) => problem.kind).sort();

    // Act
    const liveUnread = live.problems.map((problem) => problem.kind).sort();

    // Assess
    expect(liveUnread).toEqual(unread);
    expect(live.problems.filter((problem) => !problem.reason.startsWith('403 Forbidden: '))).toEqual([]);
  });

  it('gives the same findings live as offline', () => {
    // Prepare: the same cluster identity, EKS view and options; the problems of the unread kinds (the same kinds, as
    // asserted above) keep the capture's words, since "forbidden" and "not in the files" rightly read differently
    const options = caseOptions(dir);
    const liveSnapshot: ClusterSnapshot = { ...offline, kube: live.kube };

    // Act
    const liveFindings = auditSnapshot(liveSnapshot, options);

    // Assess
    expect(liveFindings).toEqual(auditSnapshot(offline, options));
  });

  it('reads with one request per list page plus the three engine ConfigMaps (at most 8 more than the pages)', () => {
    // Prepare
    const pages = expectedPages(offline.kube);

    // Act
    const requests = live.requests;

    // Assess
    expect(requests).toBe(pages + ENGINE_CONFIG_MAPS);
    expect(requests).toBeLessThanOrEqual(8 + pages);
    expect(server.requests).toHaveLength(requests);
  });
});
