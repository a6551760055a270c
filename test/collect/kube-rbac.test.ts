/**
 * The auditor's read-only ClusterRole: derived from the kinds table, exactly the kinds AmazonEKSViewPolicy does not
 * grant, bound to the auditor's group, and shipped unchanged in docs/rbac.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { parseAllDocuments } from 'yaml';
import { KINDS } from '../../lambda/audit/kinds.js';
import { AUDITOR_GROUP, auditorRbacManifest, viewPolicyGrants } from '../../lambda/collect/kube-rbac.js';

const DOCS_MANIFEST = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'rbac', 'eks-netpol-auditor-read.yaml');

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

function manifestObjects(): Array<Record<string, unknown>> {
  return parseAllDocuments(auditorRbacManifest()).map((document) => document.toJS() as Record<string, unknown>);
}

describe('the auditor ClusterRole', () => {
  it('grants read-only access to exactly the kinds AmazonEKSViewPolicy does not', () => {
    // Prepare
    const wanted = KINDS.filter((spec) => !viewPolicyGrants(spec)).map((spec) => `${spec.group}/${spec.plural}`).sort();

    // Act
    const rules = (manifestObjects()[0]?.rules ?? []) as Rule[];

    // Assess
    const granted = rules.flatMap((rule) => rule.apiGroups.flatMap((group) => rule.resources.map((resource) => `${group}/${resource}`))).sort();
    expect(granted).toEqual(wanted);
    expect(granted).toEqual(expect.arrayContaining(['/nodes', 'networking.k8s.aws/policyendpoints', 'eks.amazonaws.com/nodeclasses']));
    expect(new Set(rules.flatMap((rule) => rule.verbs))).toEqual(new Set(['get', 'list', 'watch']));
  });

  it('leaves the kinds the view policy grants to it, and never grants Secrets', () => {
    // Act
    const text = auditorRbacManifest();

    // Assess
    expect(text).not.toContain('"pods"');
    expect(text).not.toContain('secrets');
  });

  it('is bound to the group the access entries put the auditor in', () => {
    // Act
    const binding = manifestObjects()[1] as { kind: string; roleRef: { name: string }; subjects: Array<{ kind: string; name: string }> };

    // Assess
    expect(binding.kind).toBe('ClusterRoleBinding');
    expect(binding.roleRef.name).toBe((manifestObjects()[0]?.metadata as { name: string }).name);
    expect(binding.subjects).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: AUDITOR_GROUP }]);
  });

  it('is the manifest docs/rbac ships (regenerate it from auditorRbacManifest() when a row is added)', () => {
    // Act
    const shipped = readFileSync(DOCS_MANIFEST, 'utf8');

    // Assess
    expect(shipped).toBe(auditorRbacManifest());
  });
});
