/**
 * docs/operate.md shows the alert e-mail of examples/shop-eu; this test renders that alert and compares it with the
 * text between the document's sample-alert markers, so the sample cannot drift from what the function sends.
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_EXCLUDED_NAMESPACES } from '../../lambda/audit/finding.js';
import { auditSnapshot } from '../../lambda/audit/index.js';
import { loadOfflineSnapshot } from '../../lambda/collect/offline.js';
import { annotateChanges } from '../../lambda/lifecycle/changes.js';
import { parseSuppressions, suppressionMatcher } from '../../lambda/lifecycle/suppressions.js';
import { buildAlert } from '../../lambda/report/alert.js';
import { ATHENA_NAMES } from '../../lambda/report/athena.js';
import { findingsObjectKey } from '../../lambda/report/store-layout.js';

const RUN_ID = '20261126T060000Z-3f9a1c2b';
const OBSERVED_AT = new Date('2026-11-26T06:00:00Z');
const SUPPRESSIONS = '- {check: "*", namespace: analytics, reason: "BI sandbox, no production data (SEC-1234)", expires: 2027-03-31}\n';

/** The text of docs/operate.md between the sample-alert markers (inside its ```text fence). */
function documentedSample(): { subject: string; message: string } {
  const doc = readFileSync('docs/operate.md', 'utf8');
  const block = /<!-- sample-alert:start -->\n```text\n([\s\S]*?)```\n<!-- sample-alert:end -->/.exec(doc)?.[1];
  if (block === undefined) throw new Error('docs/operate.md has no sample-alert block');
  const [subjectLine, blank, ...body] = block.split('\n');
  expect(blank).toBe('');
  return { subject: (subjectLine ?? '').replace(/^Subject: /, ''), message: body.join('\n') };
}

describe('the sample alert of docs/operate.md', () => {
  it('is the alert the function sends for the first run over examples/shop-eu, analytics suppressed', async () => {
    // Prepare
    const snapshot = await loadOfflineSnapshot(
      { kube: ['examples/shop-eu/cluster.json'], eksCluster: 'examples/shop-eu/eks-cluster.json', eksAddons: ['examples/shop-eu/addon-vpc-cni.json'] },
      () => undefined,
    );
    const suppress = suppressionMatcher(parseSuppressions('s3://eks-netpol-findings/config/suppressions.yaml', SUPPRESSIONS), OBSERVED_AT);
    const audited = auditSnapshot(snapshot, { runId: RUN_ID, observedAt: OBSERVED_AT, excludedNamespaces: DEFAULT_EXCLUDED_NAMESPACES, suppress });
    const findings = annotateChanges(audited, []);
    const key = findingsObjectKey('findings', OBSERVED_AT, RUN_ID, findings[0]!.cluster);

    // Act
    const alert = buildAlert({
      runId: RUN_ID,
      findings,
      failedClusters: [],
      threshold: 'Medium',
      alertOn: 'new',
      location: { bucket: 'eks-netpol-findings', prefix: 'findings', keys: [key] },
      athena: ATHENA_NAMES,
    });

    // Assess
    expect(alert).toBeDefined();
    expect(documentedSample()).toEqual({ subject: alert!.subject, message: alert!.message });
  });
});
