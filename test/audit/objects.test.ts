import { byNamespace, namespaceLabels } from '../../lambda/audit/objects.js';
import { namespace, pod } from './fixtures.js';

describe('byNamespace', () => {
  it('groups objects by namespace in input order, unnamespaced ones under default', () => {
    // Prepare
    const a = pod('shop', 'a');
    const b = pod('payments', 'b');
    const c = pod('shop', 'c');
    const d = { ...pod('x', 'd'), metadata: { name: 'd' } };

    // Act
    const index = byNamespace([a, b, c, d]);

    // Assess
    expect([...index.entries()]).toEqual([['shop', [a, c]], ['payments', [b]], ['default', [d]]]);
  });
});

describe('namespaceLabels', () => {
  it('adds the name label the API server sets to the namespace labels, and knows only it when the Namespace was not read', () => {
    const labelled = { ...namespace('shop'), metadata: { name: 'shop', labels: { team: 'retail' } } };

    expect([namespaceLabels('shop', labelled), namespaceLabels('web', undefined)]).toEqual([
      { team: 'retail', 'kubernetes.io/metadata.name': 'shop' },
      { 'kubernetes.io/metadata.name': 'web' },
    ]);
  });
});
