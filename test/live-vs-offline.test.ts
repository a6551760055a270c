/**
 * The live audit and the offline audit agree: every case folder of test/cases is loaded offline, its inventory served
 * by the Kubernetes API test server, collected live (discovery, then lists by path), and both snapshots are audited with the same
 * options and cluster identity. The findings must be identical, and the requests few (lists, not per-namespace reads).
 *
 * A kind the capture lacks is one the server forbids (403), as a live cluster would withhold it: the collector must
 * leave exactly those kinds unread, each with a 403 problem — except a CRD-backed kind the capture says nothing
 * about (no objects, no CRDs or discovery output) and the offline audit does not need (see `enforcedPolicyBuckets`):
 * the server does not serve it, as a cluster without that API. Those problems are worded differently from the offline
 * loader's ("not in the input files"), and findings quote them, so the findings are compared with the live inventory
 * and the offline problems' words.
 */
import { basename } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { detectEngine } from '../lambda/audit/engines/verdict.js';
import { auditSnapshot } from '../lambda/audit/index.js';
import { enforcedPolicyBuckets } from '../lambda/audit/isolation/enforcement.js';
import { apiVersionOf, KINDS } from '../lambda/audit/kinds.js';
import type { ClusterSnapshot, ServedKinds } from '../lambda/audit/snapshot.js';
import { collectedSnapshot, collectKubeInventory, type KubeCollection } from '../lambda/collect/kubernetes.js';
import { loadOfflineSnapshot } from '../lambda/collect/offline.js';
import { caseOptions, caseSources, listCases } from './support/cases.js';
import { kubeConfigFor, startKubeApiServer, type KubeApiServer } from './support/kube-api-server.js';

// Small pages, so that every case with more than a couple of objects of a kind is read over several pages.
const PAGE_SIZE = 2;
const ENGINE_CONFIG_MAPS = 3;

/**
 * The requests a complete read of `snapshot` takes: `/apis` and the resource list of each group version (every version
 * the test server offers) of a served CRD-backed row, then one page per `PAGE_SIZE` objects of each served kind (at least one), except ConfigMaps: only
 * the engine ones are read, by name.
 */
function expectedRequests(snapshot: ClusterSnapshot): number {
  const served = KINDS.filter((spec) => spec.bucket !== 'configMaps' && servedLive(snapshot, spec));
  const groupVersions = new Set(served.filter((spec) => !spec.builtIn).flatMap((spec) => spec.versions.map((version) => apiVersionOf(spec, version))));
  const pages = served.reduce((sum, spec) => sum + Math.max(1, Math.ceil((snapshot.kube[spec.bucket]?.length ?? 0) / PAGE_SIZE)), 0);
  return 1 + groupVersions.size + pages + ENGINE_CONFIG_MAPS;
}

/**
 * Whether the test server serves `spec` for a capture: built in, said served, present in it, or a policy API the
 * offline audit needs and the capture does not say is not installed (then the cluster has it and withholds it).
 */
function servedLive(snapshot: ClusterSnapshot, spec: (typeof KINDS)[number]): boolean {
  const needed = enforcedPolicyBuckets(detectEngine(snapshot), snapshot) as string[];
  return spec.builtIn || (snapshot.servedKinds?.[spec.bucket] ?? (snapshot.kube[spec.bucket] !== undefined || needed.includes(spec.bucket)));
}

/** What the test server's discovery says of every CRD-backed row for a capture (see {@link servedLive}). */
function servedRows(snapshot: ClusterSnapshot): ServedKinds {
  return Object.fromEntries(KINDS.filter((spec) => !spec.builtIn).map((spec) => [spec.bucket, servedLive(snapshot, spec)]));
}

describe.each(listCases().map((dir) => [basename(dir), dir]))('%s', (_name, dir) => {
  let offline: ClusterSnapshot;
  let server: KubeApiServer;
  let live: KubeCollection;

  beforeAll(async () => {
    offline = await loadOfflineSnapshot(caseSources(dir), () => undefined);
    server = await startKubeApiServer({ inventory: offline.kube, served: servedRows(offline) });
    live = await collectKubeInventory(kubeConfigFor(server), { pageSize: PAGE_SIZE });
  });
  afterAll(() => server.close());

  it('leaves unread exactly the kinds the capture lacks, each as a 403 problem', () => {
    // Prepare
    const served = new Set(KINDS.filter((spec) => servedLive(offline, spec)).map((spec) => spec.bucket as string));
    const unread = offline.problems.map((problem) => problem.kind).filter((kind) => served.has(kind)).sort();

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
    const liveSnapshot: ClusterSnapshot = { ...offline, ...collectedSnapshot(live) };

    // Act
    const liveFindings = auditSnapshot(liveSnapshot, options);

    // Assess
    expect(liveFindings).toEqual(auditSnapshot(offline, options));
  });

  it('reads with discovery, one request per list page and the three engine ConfigMaps', () => {
    // Prepare
    const expected = expectedRequests(offline);

    // Act
    const requests = live.requests;

    // Assess
    expect(requests).toBe(expected);
    expect(server.requests).toHaveLength(requests);
  });

  it('knows what the capture knows about the served APIs, and more', () => {
    // Prepare: live discovery answers for every CRD-backed row; where the capture said, both must agree

    // Act
    const served = live.servedKinds;

    // Assess
    expect(Object.keys(served).sort()).toEqual(KINDS.filter((spec) => !spec.builtIn).map((spec) => spec.bucket).sort());
    expect(served).toEqual(expect.objectContaining(offline.servedKinds ?? {}));
  });
});
