import { effectivePolicyTypes, networkPolicyApi } from '../../../lambda/audit/isolation/network-policy.js';
import type { NetworkPolicy } from '../../../lambda/audit/snapshot.js';
import { context, pod, policy, snapshot } from '../fixtures.js';

const permissiveIngressRules = (networkPolicy: NetworkPolicy) => networkPolicyApi.read(networkPolicy, {}).permissive;

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

describe('selection', () => {
  it('selects only pods of the policy namespace whose labels match', () => {
    // Prepare
    const web = pod('shop', 'web-1', { labels: { app: 'web' } });
    const api = pod('shop', 'api-1', { labels: { app: 'api' } });
    const otherNamespace = pod('payments', 'web-2', { labels: { app: 'web' } });
    const allowWeb = policy('shop', 'allow-web', { podSelector: { matchLabels: { app: 'web' } } });

    // Act
    const { model } = context(snapshot({ pods: [web, api, otherNamespace], networkPolicies: [allowWeb] }));

    // Assess
    expect(model.policies.map((view) => view.selected)).toEqual([[web]]);
  });

  it('ignores peers: a policy whose from names other pods still selects by podSelector alone', () => {
    const web = pod('shop', 'web-1', { labels: { app: 'web' } });
    const spec = { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }] };

    expect(networkPolicyApi.read(policy('shop', 'db', spec), {}).subject.selectsPod(web, {})).toBe(false);
  });
});

describe('permissiveIngressRules', () => {
  it('names a rule without from, with its ports', () => {
    const spec = { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }, { ports: [{ port: 80 }, { protocol: 'UDP', port: 53 }] }] };

    expect(permissiveIngressRules(policy('shop', 'p', spec))).toEqual([
      { rule: 'spec.ingress[1]', admits: 'all traffic from everywhere', reason: 'no "from": every source is allowed', ports: ['TCP/80', 'UDP/53'] },
    ]);
  });

  it('treats an empty from list like an absent one', () => {
    const rules = permissiveIngressRules(policy('shop', 'p', { podSelector: {}, ingress: [{ from: [] }] }));

    expect(rules.map((rule) => rule.rule)).toEqual(['spec.ingress[0]']);
  });

  it.each([
    ['0.0.0.0/0', { ipBlock: { cidr: '0.0.0.0/0' } }, 'all traffic from everywhere'],
    ['::/0', { ipBlock: { cidr: '::/0' } }, 'all traffic from everywhere'],
    ['0.0.0.0/0 with exceptions', { ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }, 'all traffic from everywhere'],
    ['an empty namespaceSelector', { namespaceSelector: {} }, 'traffic from every pod of every namespace'],
    ['an empty namespaceSelector with an empty podSelector', { namespaceSelector: {}, podSelector: { matchLabels: {} } }, 'traffic from every pod of every namespace'],
  ])('flags a peer of %s, saying what it admits', (_name, peer, admits) => {
    const rules = permissiveIngressRules(policy('shop', 'p', { podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { a: 'b' } } }, peer] }] }));

    expect(rules).toEqual([expect.objectContaining({ rule: 'spec.ingress[0]', admits, reason: expect.stringContaining('from[1]') })]);
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
