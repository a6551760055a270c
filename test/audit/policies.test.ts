import { Status } from '../../lambda/audit/finding.js';
import {
  byNamespace,
  effectivePolicyTypes,
  permissiveIngressRules,
  policyEnforcement,
  selectedPods,
} from '../../lambda/audit/policies.js';
import { engine, pod, policy } from './fixtures.js';

describe('effectivePolicyTypes', () => {
  it('takes policyTypes as listed when set', () => {
    const egressOnly = policy('shop', 'p', { podSelector: {}, policyTypes: ['Egress'], ingress: [{}] });

    expect(effectivePolicyTypes(egressOnly)).toEqual(['Egress']);
  });

  it('isolates Ingress for an egress-only spec without policyTypes', () => {
    const spec = { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }] };

    expect(effectivePolicyTypes(policy('shop', 'p', spec))).toEqual(['Ingress', 'Egress']);
  });

  it('adds Egress for a non-empty egress list without policyTypes', () => {
    expect(effectivePolicyTypes(policy('shop', 'p', { podSelector: {}, egress: [{}] }))).toEqual(['Ingress', 'Egress']);
  });

  it('does not add Egress for an empty egress list without policyTypes (Kubernetes tests len(egress) != 0)', () => {
    expect(effectivePolicyTypes(policy('shop', 'p', { podSelector: {}, egress: [] }))).toEqual(['Ingress']);
  });

  it('defaults to Ingress alone without egress and with an empty policyTypes', () => {
    const results = [
      effectivePolicyTypes(policy('shop', 'p', { podSelector: {} })),
      effectivePolicyTypes(policy('shop', 'q', { podSelector: {}, policyTypes: [] })),
    ];

    expect(results).toEqual([['Ingress'], ['Ingress']]);
  });
});

describe('selectedPods', () => {
  it('selects only pods of the policy namespace whose labels match', () => {
    // Prepare
    const web = pod('shop', 'web-1', { labels: { app: 'web' } });
    const api = pod('shop', 'api-1', { labels: { app: 'api' } });
    const otherNamespace = pod('payments', 'web-2', { labels: { app: 'web' } });
    const allowWeb = policy('shop', 'allow-web', { podSelector: { matchLabels: { app: 'web' } } });

    // Act
    const selected = selectedPods(allowWeb, [web, api, otherNamespace]);

    // Assess
    expect(selected).toEqual([web]);
  });

  it('ignores peers: a policy whose from names other pods still selects by podSelector alone', () => {
    const web = pod('shop', 'web-1', { labels: { app: 'web' } });
    const spec = { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }] };

    expect(selectedPods(policy('shop', 'db', spec), [web])).toEqual([]);
  });
});

describe('byNamespace', () => {
  it('groups objects by namespace in input order, unnamespaced ones under default', () => {
    const a = pod('shop', 'a');
    const b = pod('payments', 'b');
    const c = pod('shop', 'c');
    const d = { ...pod('x', 'd'), metadata: { name: 'd' } };

    const index = byNamespace([a, b, c, d]);

    expect([...index.entries()]).toEqual([['shop', [a, c]], ['payments', [b]], ['default', [d]]]);
  });
});

describe('permissiveIngressRules', () => {
  it('names a rule without from, with its ports', () => {
    const spec = { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }, { ports: [{ port: 80 }, { protocol: 'UDP', port: 53 }] }] };

    expect(permissiveIngressRules(policy('shop', 'p', spec))).toEqual([
      { rule: 'spec.ingress[1]', reason: 'no "from": every source is allowed', ports: ['TCP/80', 'UDP/53'] },
    ]);
  });

  it('treats an empty from list like an absent one', () => {
    const rules = permissiveIngressRules(policy('shop', 'p', { podSelector: {}, ingress: [{ from: [] }] }));

    expect(rules.map((rule) => rule.rule)).toEqual(['spec.ingress[0]']);
  });

  it.each([
    ['0.0.0.0/0', { ipBlock: { cidr: '0.0.0.0/0' } }],
    ['::/0', { ipBlock: { cidr: '::/0' } }],
    ['0.0.0.0/0 with exceptions', { ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }],
    ['an empty namespaceSelector', { namespaceSelector: {} }],
    ['an empty namespaceSelector with an empty podSelector', { namespaceSelector: {}, podSelector: { matchLabels: {} } }],
  ])('flags a peer of %s', (_name, peer) => {
    const rules = permissiveIngressRules(policy('shop', 'p', { podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { a: 'b' } } }, peer] }] }));

    expect(rules).toEqual([expect.objectContaining({ rule: 'spec.ingress[0]', reason: expect.stringContaining('from[1]') })]);
  });

  it.each([
    ['a restricted CIDR', { ipBlock: { cidr: '10.0.0.0/8' } }],
    ['a namespaceSelector with labels', { namespaceSelector: { matchLabels: { team: 'shop' } } }],
    ['an empty namespaceSelector restricted to some pods', { namespaceSelector: {}, podSelector: { matchLabels: { app: 'web' } } }],
    ['a podSelector alone (same namespace)', { podSelector: {} }],
  ])('accepts a peer of %s', (_name, peer) => {
    expect(permissiveIngressRules(policy('shop', 'p', { podSelector: {}, ingress: [{ from: [peer] }] }))).toEqual([]);
  });

  it('ignores ingress rules when the effective types lack Ingress', () => {
    const spec = { podSelector: {}, policyTypes: ['Egress'], ingress: [{}], egress: [] };

    expect(permissiveIngressRules(policy('shop', 'p', spec))).toEqual([]);
  });

  it('lists every offending rule', () => {
    const spec = { podSelector: {}, ingress: [{}, { from: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }, { from: [{ ipBlock: { cidr: '::/0' } }], ports: [{ port: 443, endPort: 445 }] }] };

    const rules = permissiveIngressRules(policy('shop', 'p', spec));

    expect(rules.map(({ rule, ports }) => [rule, ports])).toEqual([['spec.ingress[0]', []], ['spec.ingress[2]', ['TCP/443-445']]]);
  });
});

describe('policyEnforcement', () => {
  it('says policies are inert when no engine enforces them, and unknown when detection could not decide', () => {
    const results = [Status.Pass, Status.Fail, Status.Unknown].map((status) => policyEnforcement(engine(status)));

    expect(results.map(({ enforced }) => enforced)).toEqual([true, false, null]);
    expect(results.map(({ note }) => note)).toEqual(['', expect.stringContaining('inert'), expect.stringContaining('unknown')]);
  });
});
