/**
 * OCSF events checked against the pinned version's own required attributes, vendored as data with their source in
 * test/report/ocsf/required-1.1.0.json.
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_EXCLUDED_NAMESPACES, type Finding } from '../../lambda/audit/finding.js';
import { auditSnapshot } from '../../lambda/audit/index.js';
import { loadOfflineSnapshot } from '../../lambda/collect/offline.js';
import { OCSF_VERSION, toOcsf } from '../../lambda/report/ocsf.js';
import { finding } from './fixtures.js';

interface RequiredLists {
  version: string;
  class_uid: number;
  category_uid: number;
  event: string[];
  objects: Record<string, string[]>;
  enums: Record<string, number[]>;
}

const REQUIRED = JSON.parse(readFileSync('test/report/ocsf/required-1.1.0.json', 'utf8')) as RequiredLists;

function at(event: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], event);
}

const present = (value: unknown) => value !== undefined && value !== null && value !== '' && !(Array.isArray(value) && value.length === 0);

/** What the event lacks of the required lists, and enum values outside the version's enums. */
function ocsfProblems(event: object): string[] {
  const missing = REQUIRED.event.filter((attribute) => !present(at(event, attribute)));
  const missingInObjects = Object.entries(REQUIRED.objects).flatMap(([object, attributes]) =>
    at(event, object) === undefined ? [] : attributes.filter((attribute) => !present(at(event, `${object}.${attribute}`))).map((attribute) => `${object}.${attribute}`),
  );
  const badEnums = Object.entries(REQUIRED.enums).flatMap(([path, values]) => {
    const value = at(event, path);
    return value === undefined || values.includes(value as number) ? [] : [`${path}=${String(value)}`];
  });
  return [...missing, ...missingInObjects, ...badEnums];
}

describe('toOcsf', () => {
  it('pins the version the required lists were taken from', () => {
    expect(OCSF_VERSION).toBe(REQUIRED.version);
  });

  it('gives every finding of the example every required attribute of the version', async () => {
    // Prepare
    const snapshot = await loadOfflineSnapshot(
      { kube: ['examples/shop-eu/cluster.json'], eksCluster: 'examples/shop-eu/eks-cluster.json', eksAddons: ['examples/shop-eu/addon-vpc-cni.json'] },
      () => undefined,
    );
    const findings = auditSnapshot(snapshot, { runId: 'run-1', observedAt: new Date('2026-06-01T06:00:00Z'), excludedNamespaces: DEFAULT_EXCLUDED_NAMESPACES });

    // Act
    const events = findings.map(toOcsf);

    // Assess
    expect(events.flatMap((event, index) => ocsfProblems(event).map((problem) => `${findings[index]?.check_id}: ${problem}`))).toEqual([]);
    expect(new Set(events.map((event) => [event.class_uid, event.category_uid, event.metadata.version].join()))).toEqual(
      new Set([[REQUIRED.class_uid, REQUIRED.category_uid, REQUIRED.version].join()]),
    );
  });

  it('derives type_uid from the activity: Create when first seen now, Update when seen before, Close when resolved', () => {
    // Prepare
    const created = finding();
    const ongoing = finding({ first_seen: '2024-04-01T06:00:00.000Z', change: 'ongoing' });
    const resolved = finding({ status: 'PASS', change: 'resolved' });

    // Act
    const events = [created, ongoing, resolved].map(toOcsf);

    // Assess
    expect(events.map((event) => [event.activity_id, event.type_uid, event.status_id])).toEqual([
      [1, 200301, 1],
      [2, 200302, 1],
      [3, 200303, 4],
    ]);
  });

  it('maps status and severity like ASFF: FAIL 3, UNKNOWN Warning, PASS Informational; a suppression is status Suppressed', () => {
    const failed = toOcsf(finding());
    const unknown = toOcsf(finding({ status: 'UNKNOWN' }));
    const passed = toOcsf(finding({ status: 'PASS' }));
    const suppressed = toOcsf(finding({ suppression: { reason: 'accepted', expires: '2026-12-31', entry: 's.yaml#1' } }));

    expect([failed, unknown, passed].map((event) => [event.compliance.status_id, event.severity_id])).toEqual([
      [3, 3],
      [2, 3],
      [1, 1],
    ]);
    expect([suppressed.status_id, suppressed.status, suppressed.unmapped.suppression?.entry]).toEqual([3, 'Suppressed', 's.yaml#1']);
  });

  it('carries the times as epoch milliseconds and the cloud account and region', () => {
    const event = toOcsf(finding({ first_seen: '2024-04-01T06:00:00.000Z' } as Partial<Finding>));

    expect([event.time, event.finding_info.created_time, event.cloud]).toEqual([
      Date.parse('2024-05-01T06:00:00.000Z'),
      Date.parse('2024-04-01T06:00:00.000Z'),
      { provider: 'AWS', region: 'eu-west-1', account: { uid: '123456789012', type: 'AWS Account', type_id: 10 } },
    ]);
  });
});
