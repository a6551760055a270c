/**
 * The Calico policy adapters: `types` defaulted as Calico does (not as core NetworkPolicy), the labels Calico gives a
 * pod's endpoint, a global policy's namespaceSelector, tiers whose default action is Pass, a rule that passes all
 * traffic on, and what keeps the audit from reading a policy (never a guess).
 */
import { CALICO_POLICY_APIS, effectiveCalicoTypes } from '../../../lambda/audit/calico/policies.js';
import type { PolicyApi } from '../../../lambda/audit/isolation/policy-api.js';
import type { CalicoPolicy, CalicoPolicySpec, CalicoTier, KubeInventory } from '../../../lambda/audit/snapshot.js';
import { pod } from '../fixtures.js';

function apiOf(bucket: string): PolicyApi {
  const api = CALICO_POLICY_APIS.find((candidate) => candidate.bucket === bucket);
  if (!api) throw new Error(`no Calico API for ${bucket}`);
  return api;
}

const networkPolicies = apiOf('calicoNetworkPolicies');
const globalPolicies = apiOf('calicoGlobalNetworkPolicies');

function calico(kind: string, spec: CalicoPolicySpec, namespace?: string): CalicoPolicy {
  return { apiVersion: 'projectcalico.org/v3', kind, metadata: { name: 'p', ...(namespace ? { namespace } : {}) }, spec };
}

const read = (api: PolicyApi, policy: CalicoPolicy, inventory: KubeInventory = {}) => api.read(policy as never, inventory);
const SHOP = { 'kubernetes.io/metadata.name': 'shop', team: 'payments' };

describe('effectiveCalicoTypes', () => {
  it.each([
    [{}, ['Ingress']],
    [{ ingress: [{ action: 'Allow' }] }, ['Ingress']],
    [{ egress: [{ action: 'Allow' }] }, ['Egress']],
    [{ ingress: [{ action: 'Allow' }], egress: [{ action: 'Allow' }] }, ['Ingress', 'Egress']],
    [{ types: ['Egress'], ingress: [{ action: 'Allow' }] }, ['Egress']],
  ])('%j applies to %j', (spec, expected) => {
    // Prepare, Act
    const types = effectiveCalicoTypes(spec as CalicoPolicySpec);

    // Assess
    expect(types).toEqual(expected);
  });
});

describe('selection', () => {
  it('matches the labels Calico gives a pod: its namespace, orchestrator, service account and pcns.* namespace labels', () => {
    // Prepare
    const web = pod('shop', 'web', { labels: { app: 'web' }, spec: { serviceAccountName: 'web-sa' } });
    const selector =
      'projectcalico.org/namespace == "shop" && projectcalico.org/orchestrator == "k8s" && projectcalico.org/serviceaccount == "web-sa" && pcns.team == "payments"';

    // Act
    const { subject } = read(networkPolicies, calico('NetworkPolicy', { selector }, 'shop'));

    // Assess
    expect(subject.selectsPod(web, SHOP)).toBe(true);
    expect(subject.selectsPod(web, { 'kubernetes.io/metadata.name': 'shop' })).toBe(false);
  });

  it("matches a global policy's namespaceSelector on namespace labels and projectcalico.org/name", () => {
    // Prepare
    const policy = calico('GlobalNetworkPolicy', { namespaceSelector: 'projectcalico.org/name == "shop" && team == "payments"' });

    // Act
    const { subject } = read(globalPolicies, policy);

    // Assess
    expect(subject.selectsNamespace(SHOP)).toBe(true);
    expect(subject.selectsNamespace({ 'kubernetes.io/metadata.name': 'blog', team: 'payments' })).toBe(false);
    expect(subject.everyNamespace).toBe(false);
  });

  it('matches a serviceAccountSelector on the service account name', () => {
    // Prepare
    const policy = calico('NetworkPolicy', { serviceAccountSelector: 'projectcalico.org/name == "api"' }, 'shop');

    // Act
    const facts = read(networkPolicies, policy);

    // Assess
    expect(facts.subject.selectsPod(pod('shop', 'a', { spec: { serviceAccountName: 'api' } }), SHOP)).toBe(true);
    expect(facts.subject.selectsPod(pod('shop', 'b'), SHOP)).toBe(false);
    expect(facts.unreadable).toBeUndefined();
  });
});

describe('isolation', () => {
  it('isolates its types in a Deny tier, nothing in a Pass tier', () => {
    // Prepare
    const tier: CalicoTier = { kind: 'Tier', metadata: { name: 'platform' }, spec: { defaultAction: 'Pass' } };
    const inPlatform = calico('NetworkPolicy', { tier: 'platform', types: ['Ingress', 'Egress'] }, 'shop');

    // Act
    const passing = read(networkPolicies, inPlatform, { calicoTiers: [tier] });
    const denying = read(networkPolicies, calico('NetworkPolicy', { types: ['Ingress', 'Egress'] }, 'shop'));

    // Assess
    expect(passing.isolates).toEqual([]);
    expect(denying.isolates).toEqual(['Ingress', 'Egress']);
    expect(denying.deniesByDefault).toEqual(['Ingress', 'Egress']);
  });

  it('does not isolate a direction whose first rule matching everything passes it to the next tier', () => {
    // Prepare: Log only logs; a port-limited Pass leaves the rest to the tier's default deny
    const spec: CalicoPolicySpec = {
      types: ['Ingress', 'Egress'],
      ingress: [{ action: 'Log' }, { action: 'Pass' }],
      egress: [{ action: 'Pass', protocol: 'UDP', destination: { ports: [53] } }],
    };

    // Act
    const facts = read(networkPolicies, calico('NetworkPolicy', spec, 'shop'));

    // Assess
    expect(facts.isolates).toEqual(['Egress']);
    expect(facts.deniesByDefault).toEqual([]);
  });

  it('knows the built-in tiers without reading them, and says so of a tier it did not read', () => {
    // Prepare
    const inTier = (tier: string) => calico('NetworkPolicy', { tier, types: ['Ingress'] }, 'shop');

    // Act
    const [admin, custom, listed] = [
      read(networkPolicies, inTier('kube-admin')),
      read(networkPolicies, inTier('security')),
      read(networkPolicies, inTier('security'), { calicoTiers: [] }),
    ];

    // Assess
    expect(admin.isolates).toEqual([]);
    expect(admin.unreadable).toBeUndefined();
    expect(custom.unreadable).toBe('its tier security was not read (Tiers were not read)');
    expect(listed.unreadable).toBe('its tier security is not among the Tiers read');
  });
});

describe('what the audit cannot read', () => {
  it('names every selector it cannot parse, and a serviceAccountSelector on labels it does not read', () => {
    // Prepare
    const policy = calico('GlobalNetworkPolicy', { selector: 'app ==', namespaceSelector: 'has(team', serviceAccountSelector: 'role == "admin"' });

    // Act
    const facts = read(globalPolicies, policy);

    // Assess
    expect(facts.unreadable).toBe(
      'its selector "app ==" cannot be parsed (expected a quoted string, found the end of the selector at position 6); ' +
        'its namespaceSelector "has(team" cannot be parsed (expected ")", found the end of the selector at position 8); ' +
        'its serviceAccountSelector reads ServiceAccount labels (role), which the audit does not read',
    );
    // What it might select: every pod of every namespace it might apply to.
    expect(facts.subject.selectsNamespace({ 'kubernetes.io/metadata.name': 'blog' })).toBe(true);
    expect(facts.subject.selectsPod(pod('blog', 'x'), {})).toBe(true);
    expect(networkPolicies.loadWarning?.(calico('NetworkPolicy', { selector: 'app ==' }, 'shop') as never)).toContain('the pods it may select are UNKNOWN');
  });
});
