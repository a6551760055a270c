/**
 * The tiered policy APIs beyond the AWS one: the upstream AdminNetworkPolicy, BaselineAdminNetworkPolicy and v1alpha2
 * ClusterNetworkPolicy, and Antrea's ClusterNetworkPolicy and NetworkPolicy — their reading (actions, rule order,
 * ports, subjects, tiers) and how the model applies them, with enforcement gated on the engine's release.
 */
import { EngineName, type EngineVerdict } from '../../../lambda/audit/engines/engine-verdict.js';
import { Status } from '../../../lambda/audit/finding.js';
import { adminNetworkPolicyApi, upstreamClusterNetworkPolicyApi } from '../../../lambda/audit/isolation/admin-network-policies.js';
import { antreaClusterNetworkPolicyApi } from '../../../lambda/audit/isolation/antrea-policies.js';
import { awsClusterNetworkPolicyApi } from '../../../lambda/audit/isolation/aws-cluster-network-policy.js';
import { Enforcement } from '../../../lambda/audit/isolation/policy-api.js';
import type { AuditModel } from '../../../lambda/audit/model.js';
import type {
  AdminNetworkPolicy,
  AntreaClusterNetworkPolicy,
  AntreaNetworkPolicy,
  BaselineAdminNetworkPolicy,
  DaemonSet,
  KubeInventory,
  UpstreamClusterNetworkPolicy,
} from '../../../lambda/audit/snapshot.js';
import { context, engine, namespace, pod, snapshot } from '../fixtures.js';

const ALL = [{ namespaces: {} }];
const web = pod('shop', 'web-1', { labels: { app: 'web' } });

function anp(name: string, spec: AdminNetworkPolicy['spec']): AdminNetworkPolicy {
  return { apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'AdminNetworkPolicy', metadata: { name }, spec };
}

function banp(spec: BaselineAdminNetworkPolicy['spec']): BaselineAdminNetworkPolicy {
  return { apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'BaselineAdminNetworkPolicy', metadata: { name: 'default' }, spec };
}

function cnp(name: string, spec: UpstreamClusterNetworkPolicy['spec']): UpstreamClusterNetworkPolicy {
  return { apiVersion: 'policy.networking.k8s.io/v1alpha2', kind: 'ClusterNetworkPolicy', metadata: { name }, spec };
}

function acnp(name: string, spec: AntreaClusterNetworkPolicy['spec']): AntreaClusterNetworkPolicy {
  return { apiVersion: 'crd.antrea.io/v1beta1', kind: 'ClusterNetworkPolicy', metadata: { name }, spec };
}

function antreaPolicy(name: string, spec: AntreaNetworkPolicy['spec']): AntreaNetworkPolicy {
  return { apiVersion: 'crd.antrea.io/v1beta1', kind: 'NetworkPolicy', metadata: { name, namespace: 'shop' }, spec };
}

function agent(name: string, namespaceName: string, container: string, image: string): DaemonSet {
  return { kind: 'DaemonSet', metadata: { name, namespace: namespaceName }, spec: { template: { spec: { containers: [{ name: container, image }] } } } };
}

const calicoNode = (image: string) => agent('calico-node', 'calico-system', 'calico-node', image);
const antreaAgent = (image = 'antrea/antrea-agent-ubuntu:v2.1.0') => agent('antrea-agent', 'kube-system', 'antrea-agent', image);

function enforcing(name: EngineName, agents: DaemonSet[]): EngineVerdict {
  return { ...engine(Status.Pass, [name]), agents };
}

function modelOf(kube: KubeInventory, verdict: EngineVerdict): AuditModel {
  const shop = { ...namespace('shop'), metadata: { name: 'shop', labels: { 'kubernetes.io/metadata.name': 'shop', team: 'shop' } } };
  return context(snapshot({ namespaces: [shop], pods: [web], networkPolicies: [], daemonSets: verdict.agents, ...kube }), verdict).model;
}

const ingressOf = (model: AuditModel) => model.isolation.get(web)?.Ingress;

describe('upstream admin policies', () => {
  it('read Allow as Accept, and rule order as precedence: nothing after a rule that matches all traffic acts', () => {
    // Prepare
    const delegate = anp('delegate', { priority: 5, subject: { namespaces: {} }, ingress: [{ action: 'Pass', from: ALL }, { action: 'Allow', from: ALL }] });
    const late = anp('late-allow', { priority: 5, subject: { namespaces: {} }, ingress: [{ action: 'Deny', from: [{ namespaces: { matchLabels: { team: 'x' } } }] }, { action: 'Allow', from: ALL }] });

    // Act
    const [passFirst, allowAfterNarrowDeny] = [delegate, late].map((policy) => adminNetworkPolicyApi.read(policy));

    // Assess
    expect(passFirst.tierRules.map((rule) => [rule.rule, rule.action])).toEqual([['spec.ingress[0]', 'Pass']]);
    expect(passFirst.permissive).toEqual([]);
    expect(allowAfterNarrowDeny.tierRules.map((rule) => [rule.rule, rule.action, rule.tier])).toEqual([['spec.ingress[1]', 'Accept', 'Admin']]);
    expect(allowAfterNarrowDeny.permissive.map((rule) => [rule.rule, rule.reason, rule.severity])).toEqual([
      ['spec.ingress[1]', 'Allow: from[0] selects every namespace (namespaces: {}) (Admin tier)', 'Medium'],
    ]);
  });

  it('keep the AWS ClusterNetworkPolicy unordered, as its agent is: each all-traffic rule stays a tier rule', () => {
    // Prepare
    const aws = { apiVersion: 'networking.k8s.aws/v1alpha1', kind: 'ClusterNetworkPolicy' as const, metadata: { name: 'x' } };
    const spec = { tier: 'Admin', priority: 5, subject: { namespaces: {} }, ingress: [{ action: 'Pass', from: ALL }, { action: 'Accept', from: ALL }] };

    // Act
    const facts = awsClusterNetworkPolicyApi.read({ ...aws, spec });

    // Assess
    expect(facts.tierRules.map((rule) => rule.action)).toEqual(['Pass', 'Accept']);
  });

  it('fail closed on a v1alpha2 peer with no known field: Deny and Pass deny all, Accept matches nothing', () => {
    // Prepare
    const unknownPeer = [{ future: {} } as never];
    const policy = cnp('newer-crd', { tier: 'Admin', priority: 1, subject: { namespaces: {} }, ingress: [{ action: 'Accept', from: unknownPeer }], egress: [{ action: 'Deny', to: unknownPeer }] });

    // Act
    const facts = upstreamClusterNetworkPolicyApi.read(policy);

    // Assess
    expect(facts.tierRules.map((rule) => [rule.direction, rule.action])).toEqual([['Egress', 'Deny']]);
    expect(facts.permissive).toEqual([]);
  });

  it('describe v1alpha2 protocols as ports, and a port-limited Accept decides nothing for all traffic', () => {
    // Prepare
    const protocols = [{ tcp: { destinationPort: { number: 80 } } }, { udp: { destinationPort: { range: { start: 5000, end: 5100 } } } }, { destinationNamedPort: 'metrics' }];
    const policy = cnp('web-ports', { tier: 'Admin', priority: 1, subject: { namespaces: {} }, ingress: [{ action: 'Accept', from: ALL, protocols }] });
    const model = modelOf({ upstreamClusterNetworkPolicies: [policy] }, enforcing(EngineName.Calico, [calicoNode('quay.io/calico/node:v3.32.0')]));

    // Act
    const facts = upstreamClusterNetworkPolicyApi.read(policy);

    // Assess
    expect(facts.permissive[0].ports).toEqual(['TCP/80', 'UDP/5000-5100', 'port named metrics']);
    expect(ingressOf(model)).toEqual({ isolated: false, by: [] });
  });
});

describe('enforcement by release', () => {
  const denyAll = () => anp('deny-all', { priority: 1, subject: { namespaces: {} }, ingress: [{ action: 'Deny', from: ALL }] });

  it('counts an AdminNetworkPolicy from Calico 3.29 on, and not on 3.28', () => {
    // Prepare
    const releases = ['quay.io/calico/node:v3.28.1', 'docker.io/calico/node:v3.29.0'];

    // Act
    const models = releases.map((image) => modelOf({ adminNetworkPolicies: [denyAll()] }, enforcing(EngineName.Calico, [calicoNode(image)])));

    // Assess
    expect(models.map((model) => [model.policies[0].enforcement, model.policies[0].counts, ingressOf(model)?.isolated])).toEqual([
      [Enforcement.Inert, false, false],
      [Enforcement.Enforced, true, true],
    ]);
    expect(models[0].policies[0].enforcementReason).toBe('AdminNetworkPolicies came with Calico v3.29.0, and the calico-node image of calico-system/calico-node is v3.28.1');
    expect(models[1].policies[0].enforcementReason).toBe('enforced by calico');
  });

  it('is unknown when the release cannot be told, and so is the isolation it would decide either way: never a guess', () => {
    // Prepare
    const unknownRelease = enforcing(EngineName.Calico, [calicoNode('quay.io/tigera/cnx-node:v3.19.2')]);
    const acceptAll = anp('allow-all', { priority: 1, subject: { namespaces: {} }, ingress: [{ action: 'Allow', from: ALL }] });
    const baseline = banp({ subject: { namespaces: {} }, ingress: [{ action: 'Deny', from: ALL }] });

    // Act
    const denied = modelOf({ baselineAdminNetworkPolicies: [baseline] }, unknownRelease);
    const opened = modelOf({ adminNetworkPolicies: [acceptAll], networkPolicies: [{ kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'shop' }, spec: { podSelector: {} } }] }, unknownRelease);

    // Assess
    const reason = "the calico-node image of calico-system/calico-node (quay.io/tigera/cnx-node:v3.19.2) is not Calico's own build, whose releases the gates name";
    expect([denied.policies[0].enforcement, denied.policies[0].counts]).toEqual([Enforcement.Unknown, false]);
    expect(denied.policies[0].enforcementReason).toBe(`BaselineAdminNetworkPolicies came with Calico v3.29.0, and its version cannot be told: ${reason}`);
    expect([ingressOf(denied)?.isolated, ingressOf(denied)?.unknown]).toEqual([false, expect.stringContaining(reason)]);
    expect([ingressOf(opened)?.isolated, ingressOf(opened)?.unknown]).toEqual([false, expect.stringContaining('AdminNetworkPolicy allow-all: AdminNetworkPolicies came with Calico v3.29.0')]);
  });

  it('counts AdminNetworkPolicies on Antrea from 1.13, and a v1alpha2 ClusterNetworkPolicy never on Antrea', () => {
    // Prepare
    const baseline = cnp('baseline', { tier: 'Baseline', priority: 1, subject: { namespaces: {} }, ingress: [{ action: 'Deny', from: ALL }] });

    // Act
    const old = modelOf({ adminNetworkPolicies: [denyAll()] }, enforcing(EngineName.Antrea, [antreaAgent('antrea/antrea-ubuntu:v1.12.1')]));
    const current = modelOf({ adminNetworkPolicies: [denyAll()], upstreamClusterNetworkPolicies: [baseline] }, enforcing(EngineName.Antrea, [antreaAgent()]));

    // Assess
    expect(old.policies.map((view) => view.enforcement)).toEqual([Enforcement.Inert]);
    expect(current.policies.map((view) => [view.title, view.enforcement])).toEqual([
      ['AdminNetworkPolicy deny-all', Enforcement.Enforced],
      ['ClusterNetworkPolicy.policy.networking.k8s.io baseline', Enforcement.Inert],
    ]);
  });
});

describe('Antrea policies', () => {
  const antrea = () => enforcing(EngineName.Antrea, [antreaAgent()]);

  it('apply to the union of their appliedTo entries, a namespaceSelector AND a podSelector each', () => {
    // Prepare
    const appliedTo = [{ namespaceSelector: { matchLabels: { team: 'payments' } } }, { namespaceSelector: { matchLabels: { team: 'shop' } }, podSelector: { matchLabels: { app: 'web' } } }];
    const policy = acnp('two-targets', { tier: 'securityops', priority: 1, appliedTo, ingress: [{ action: 'Drop', from: [{ namespaceSelector: {} }] }] });

    // Act
    const model = modelOf({ antreaClusterNetworkPolicies: [policy] }, antrea());

    // Assess
    expect(model.policies[0].selected).toEqual([web]);
    expect(ingressOf(model)).toEqual({ isolated: true, by: ['denied by ClusterNetworkPolicy.crd.antrea.io two-targets (Admin tier) denies all ingress from every namespace'] });
  });

  it('order the tiers before NetworkPolicy by tier, then priority: an earlier tier decides', () => {
    // Prepare
    const everything = [{ namespaceSelector: {} }];
    const allow = acnp('platform-allow', { tier: 'platform', priority: 1, appliedTo: everything, ingress: [{ action: 'Allow' }] });
    const drop = acnp('securityops-drop', { tier: 'SecurityOps', priority: 9000, appliedTo: everything, ingress: [{ action: 'Reject' }] });

    // Act
    const model = modelOf({ antreaClusterNetworkPolicies: [allow, drop] }, antrea());

    // Assess
    expect(ingressOf(model)?.by).toEqual(['denied by ClusterNetworkPolicy.crd.antrea.io securityops-drop (Admin tier) denies all ingress from every namespace']);
  });

  it('do not judge a custom tier or rules that each name their own pods, and say so', () => {
    // Prepare
    const custom = acnp('custom', { tier: 'team-tier', appliedTo: [{ namespaceSelector: {} }], ingress: [{ action: 'Drop' }] });
    const perRule = acnp('per-rule', {
      tier: 'baseline',
      ingress: [
        { action: 'Drop', appliedTo: [{ podSelector: { matchLabels: { app: 'web' } } }] },
        { action: 'Allow', appliedTo: [{ podSelector: { matchLabels: { app: 'db' } } }] },
      ],
    });

    // Act
    const [customFacts, perRuleFacts] = [custom, perRule].map((policy) => antreaClusterNetworkPolicyApi.read(policy));

    // Assess
    expect([customFacts.tierRules, perRuleFacts.tierRules]).toEqual([[], []]);
    expect(Object.keys(customFacts.evidence)).toContain('tier_not_modeled');
    expect(Object.keys(perRuleFacts.evidence)).toContain('rule_applied_to');
  });

  it('never select as a namespace policy: an Antrea NetworkPolicy leaves the baseline default deny to the pods it names', () => {
    // Prepare
    const allowFrontend = antreaPolicy('allow-frontend', { appliedTo: [{ podSelector: { matchLabels: { app: 'web' } } }], ingress: [{ action: 'Allow', from: [{ podSelector: { matchLabels: { app: 'frontend' } } }] }] });
    const baseline = acnp('baseline-drop', { tier: 'baseline', appliedTo: [{ namespaceSelector: {} }], ingress: [{ action: 'Drop' }] });

    // Act
    const alone = modelOf({ antreaNetworkPolicies: [allowFrontend] }, antrea());
    const withBaseline = modelOf({ antreaNetworkPolicies: [allowFrontend], antreaClusterNetworkPolicies: [baseline] }, antrea());

    // Assess
    expect([alone.policies[0].selected, alone.policiesSelecting.get(web), ingressOf(alone)?.isolated]).toEqual([[web], undefined, false]);
    expect(ingressOf(withBaseline)?.by).toEqual(['denied by default: ClusterNetworkPolicy.crd.antrea.io baseline-drop (Baseline tier) denies all ingress from every namespace']);
  });
});
