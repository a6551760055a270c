/**
 * The isolation model beyond core NetworkPolicy: VPC CNI strict mode and its catch-all, ApplicationNetworkPolicy's
 * policyTypes as written, AWS ClusterNetworkPolicy tiers, EKS Auto Mode NodeClasses and PolicyEndpoint evidence.
 */
import { EngineName } from '../../../lambda/audit/engines/engine-verdict.js';
import { Status } from '../../../lambda/audit/finding.js';
import type { AuditModel } from '../../../lambda/audit/model.js';
import type {
  ApplicationNetworkPolicy,
  AwsClusterNetworkPolicy,
  DaemonSet,
  KubeInventory,
  PolicyEndpoint,
} from '../../../lambda/audit/snapshot.js';
import { context, engine, namespace, node, pod, policy, snapshot } from '../fixtures.js';

const web = pod('shop', 'web-1', { labels: { app: 'web' } });

const CNI_IMAGE = '602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon-k8s-cni';

function awsNode(mode?: string, image = `${CNI_IMAGE}:v1.21.1-eksbuild.1`): DaemonSet {
  const env = mode ? [{ name: 'NETWORK_POLICY_ENFORCING_MODE', value: mode }] : [];
  return {
    kind: 'DaemonSet',
    metadata: { name: 'aws-node', namespace: 'kube-system' },
    spec: { template: { spec: { containers: [{ name: 'aws-node', image, env }] } } },
  };
}

function anp(name: string, spec: ApplicationNetworkPolicy['spec']): ApplicationNetworkPolicy {
  return { apiVersion: 'networking.k8s.aws/v1alpha1', kind: 'ApplicationNetworkPolicy', metadata: { name, namespace: 'shop' }, spec };
}

function cnp(name: string, spec: AwsClusterNetworkPolicy['spec']): AwsClusterNetworkPolicy {
  return { apiVersion: 'networking.k8s.aws/v1alpha1', kind: 'ClusterNetworkPolicy', metadata: { name }, spec };
}

function modelOf(kube: KubeInventory, engines: EngineName[] = [EngineName.VpcCni]): AuditModel {
  return context(snapshot({ namespaces: [namespace('shop')], pods: [web], networkPolicies: [], daemonSets: [awsNode()], ...kube }), engine(Status.Pass, engines)).model;
}

const ingressOf = (model: AuditModel) => model.isolation.get(web)?.Ingress;
const egressOf = (model: AuditModel) => model.isolation.get(web)?.Egress;

describe('VPC CNI strict mode', () => {
  it('denies both directions of a pod no policy selects, by name', () => {
    const model = modelOf({ daemonSets: [awsNode('strict')] });

    expect([ingressOf(model), egressOf(model)]).toEqual([
      { isolated: true, by: ['denied by default: VPC CNI strict mode, no policy selects it'] },
      { isolated: true, by: ['denied by default: VPC CNI strict mode, no policy selects it'] },
    ]);
  });

  it('opens the direction an Egress-only policy leaves: the agent adds its catch-all once a policy selects the pod', () => {
    const model = modelOf({ daemonSets: [awsNode('strict')], networkPolicies: [policy('shop', 'egress', { podSelector: {}, policyTypes: ['Egress'] })] });

    expect([ingressOf(model)?.isolated, ingressOf(model)?.open, egressOf(model)?.by]).toEqual([
      false,
      'selected only for other directions (by NetworkPolicy shop/egress), so the VPC CNI agent allows all Ingress and the default deny (VPC CNI strict mode, no policy selects it) does not apply',
      ['isolated by NetworkPolicy shop/egress'],
    ]);
  });

  it('counts in standard mode, and when the VPC CNI does not enforce, for nothing', () => {
    const standard = modelOf({ daemonSets: [awsNode('standard')] });
    const calico = modelOf({ daemonSets: [awsNode('strict')] }, [EngineName.Calico]);

    expect([ingressOf(standard)?.isolated, ingressOf(calico)?.isolated]).toEqual([false, false]);
  });

  it("reads the add-on's env when DaemonSets were not read", () => {
    const addons = [{ addonName: 'vpc-cni', addonVersion: 'v1.19.0-eksbuild.1', configurationValues: '{"enableNetworkPolicy":"true","env":{"NETWORK_POLICY_ENFORCING_MODE":"strict"}}' }];
    const snap = snapshot({ namespaces: [namespace('shop')], pods: [web], networkPolicies: [] }, { addons });

    const { model } = context(snap, engine(Status.Pass, [EngineName.VpcCni]));

    expect([ingressOf(model)?.isolated, model.defaultDenyEvidence]).toEqual([
      true,
      {
        enforcing_mode: 'strict',
        enforcing_mode_source: 'the vpc-cni add-on configuration',
        strict_mode_in_force: true,
        strict_mode_version: 'VPC CNI v1.19.0-eksbuild.1 (the vpc-cni add-on) is v1.17.1 or later',
      },
    ]);
  });
});

describe('ApplicationNetworkPolicy', () => {
  it('isolates the directions of its policyTypes as written, and none without policyTypes', () => {
    const written = modelOf({ applicationNetworkPolicies: [anp('api', { podSelector: {}, policyTypes: ['Ingress'] })] });
    const unset = modelOf({ applicationNetworkPolicies: [anp('api', { podSelector: {} })] });

    expect([ingressOf(written)?.by, ingressOf(unset)?.isolated]).toEqual([['isolated by ApplicationNetworkPolicy shop/api'], false]);
  });

  it('is inert and does not count where no engine that enforces it runs', () => {
    const model = modelOf({ applicationNetworkPolicies: [anp('api', { podSelector: {}, policyTypes: ['Ingress'] })] }, [EngineName.Calico]);

    expect([ingressOf(model)?.isolated, model.policies[0]?.enforcement, model.policies[0]?.enforcementReason]).toEqual([
      false,
      'inert',
      expect.stringContaining('ApplicationNetworkPolicies are enforced only by'),
    ]);
  });

  it('counts only from VPC CNI v1.21.0, is unsure when the version cannot be read, and needs no version under EKS Auto Mode', () => {
    const deny = { applicationNetworkPolicies: [anp('api', { podSelector: {}, policyTypes: ['Ingress' as const] })] };
    const old = modelOf({ ...deny, daemonSets: [awsNode(undefined, `${CNI_IMAGE}:v1.20.9`)] });
    const unread = modelOf({ ...deny, daemonSets: [awsNode(undefined, `${CNI_IMAGE}@sha256:0123abcd`)] });
    const autoMode = context(
      snapshot({ namespaces: [namespace('shop')], pods: [web], networkPolicies: [], daemonSets: [], ...deny }, { eks: { name: 'prod', computeConfig: { enabled: true } } }),
      engine(Status.Pass, [EngineName.VpcCni]),
    ).model;

    expect([ingressOf(old), old.policies[0]?.enforcement]).toEqual([{ isolated: false, by: [] }, 'inert']);
    expect([ingressOf(unread)?.isolated, ingressOf(unread)?.unknown, unread.policies[0]?.enforcement]).toEqual([
      false,
      expect.stringMatching(/^ApplicationNetworkPolicy shop\/api: ApplicationNetworkPolicies came with VPC CNI v1.21.0, and its version cannot be told/),
      'unknown',
    ]);
    expect(ingressOf(autoMode)?.by).toEqual(['isolated by ApplicationNetworkPolicy shop/api']);
  });

  it('is a finding resource with its API group', () => {
    const model = modelOf({ applicationNetworkPolicies: [anp('api', { podSelector: {} })] });

    expect(model.policies[0]?.resource).toEqual({ kind: 'ApplicationNetworkPolicy', namespace: 'shop', name: 'api', api_group: 'networking.k8s.aws' });
  });
});

describe('AWS ClusterNetworkPolicy', () => {
  const everyNamespace = [{ namespaces: {} }];

  it('defeats every namespace policy with an Admin Accept from every namespace', () => {
    const model = modelOf({
      networkPolicies: [policy('shop', 'deny')],
      awsClusterNetworkPolicies: [cnp('allow-everything', { tier: 'Admin', priority: 10, subject: { namespaces: {} }, ingress: [{ action: 'Accept', from: everyNamespace }] })],
    });

    expect(ingressOf(model)).toEqual({ isolated: false, by: [], open: 'ClusterNetworkPolicy allow-everything (Admin tier) accepts all ingress from every namespace' });
    expect(model.namespaceIsolation.get('shop')?.Ingress.open).toBe('ClusterNetworkPolicy allow-everything (Admin tier) accepts all ingress from every namespace');
  });

  it('lets a higher-priority Admin Pass hand the decision to the namespace policies', () => {
    const model = modelOf({
      networkPolicies: [policy('shop', 'deny')],
      awsClusterNetworkPolicies: [
        cnp('allow-everything', { tier: 'Admin', priority: 20, subject: { namespaces: {} }, ingress: [{ action: 'Accept', from: everyNamespace }] }),
        cnp('pass-shop', { tier: 'Admin', priority: 5, subject: { namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } }, ingress: [{ action: 'Pass', from: everyNamespace }] }),
      ],
    });

    expect(ingressOf(model)?.by).toEqual(['isolated by NetworkPolicy shop/deny']);
  });

  it('denies by default with a Baseline Deny from every namespace, only pods no namespace policy selects', () => {
    const baseline = cnp('baseline-deny', { tier: 'Baseline', priority: 100, subject: { namespaces: {} }, ingress: [{ action: 'Deny', from: everyNamespace }] });
    const alone = modelOf({ awsClusterNetworkPolicies: [baseline] });
    const selected = modelOf({ awsClusterNetworkPolicies: [baseline], networkPolicies: [policy('shop', 'egress', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'] })] });
    const catchAll = 'selected only for other directions (by NetworkPolicy shop/egress), so the VPC CNI agent allows all Ingress and the default deny (ClusterNetworkPolicy baseline-deny (Baseline tier) denies all ingress from every namespace) does not apply';

    expect(ingressOf(alone)?.by).toEqual(['denied by default: ClusterNetworkPolicy baseline-deny (Baseline tier) denies all ingress from every namespace']);
    expect(ingressOf(selected)).toEqual({ isolated: false, by: [], open: catchAll });
    expect(alone.namespaceIsolation.get('shop')?.Ingress.deniedByDefault).toEqual(['denied by default: ClusterNetworkPolicy baseline-deny (Baseline tier) denies all ingress from every namespace']);
  });

  it('does not deny by default with a rule limited to some ports or to some namespaces', () => {
    const model = modelOf({
      awsClusterNetworkPolicies: [
        cnp('ports', { tier: 'Baseline', priority: 1, subject: { namespaces: {} }, ingress: [{ action: 'Deny', from: everyNamespace, ports: [{ portNumber: { port: 22 } }] }] }),
        cnp('some', { tier: 'Baseline', priority: 1, subject: { namespaces: {} }, ingress: [{ action: 'Deny', from: [{ namespaces: { matchLabels: { team: 'x' } } }] }] }),
      ],
    });

    expect(ingressOf(model)?.isolated).toBe(false);
  });

  it('applies to the pods its subject selects by namespace labels and pod labels', () => {
    const labelled = { ...namespace('shop'), metadata: { name: 'shop', labels: { tier: 'prod' } } };
    const rule = { tier: 'Baseline', priority: 1, ingress: [{ action: 'Deny', from: everyNamespace }] };
    const model = modelOf({
      namespaces: [labelled],
      awsClusterNetworkPolicies: [
        cnp('prod-web', { ...rule, subject: { pods: { namespaceSelector: { matchLabels: { tier: 'prod' } }, podSelector: { matchLabels: { app: 'web' } } } } }),
        cnp('dev', { ...rule, subject: { namespaces: { matchLabels: { tier: 'dev' } } } }),
      ],
    });

    expect(model.policies.map((view) => [view.name, view.selected.length])).toEqual([['dev', 0], ['prod-web', 1]]);
    expect(ingressOf(model)?.isolated).toBe(true);
  });
});

describe('EKS Auto Mode NodeClass', () => {
  it('denies by default the pods on nodes of a DefaultDeny NodeClass', () => {
    const onNode = pod('shop', 'web-1', { labels: { app: 'web' }, spec: { nodeName: 'i-1' } });
    const snap = snapshot(
      {
        namespaces: [namespace('shop')],
        pods: [onNode],
        networkPolicies: [],
        nodes: [node('i-1', { 'eks.amazonaws.com/compute-type': 'auto', 'eks.amazonaws.com/nodeclass': 'locked' })],
        nodeClasses: [{ kind: 'NodeClass', metadata: { name: 'locked' }, spec: { networkPolicy: 'DefaultDeny' } }],
      },
      { eks: { name: 'prod-eu', computeConfig: { enabled: true } } },
    );

    const { model } = context(snap, engine(Status.Pass, [EngineName.VpcCni]));

    expect(model.isolation.get(onNode)?.Ingress.by).toEqual(['denied by default: NodeClass locked (networkPolicy: DefaultDeny) of node i-1, no policy selects it']);
  });
});

describe('PolicyEndpoint evidence', () => {
  function endpoint(owner: string): PolicyEndpoint {
    return { kind: 'PolicyEndpoint', metadata: { name: `${owner}-x7k2p`, namespace: 'shop', ownerReferences: [{ kind: 'NetworkPolicy', name: owner, controller: true }] }, spec: { policyRef: { name: owner, namespace: 'shop' } } };
  }

  it('makes a policy selecting running pods without a PolicyEndpoint inert, and its isolation uncounted', () => {
    const model = modelOf({ networkPolicies: [policy('shop', 'deny'), policy('shop', 'web', { podSelector: { matchLabels: { app: 'web' } } })], policyEndpoints: [endpoint('web')] });

    expect(model.policies.map((view) => [view.name, view.enforcement, view.counts])).toEqual([['deny', 'inert', false], ['web', 'enforced', true]]);
    expect(ingressOf(model)?.by).toEqual(['isolated by NetworkPolicy shop/web']);
  });

  it('concludes nothing when PolicyEndpoints were not read, nor for a policy that selects no running pod', () => {
    const unread = modelOf({ networkPolicies: [policy('shop', 'deny')] });
    const idle = modelOf({ networkPolicies: [policy('shop', 'db', { podSelector: { matchLabels: { app: 'db' } } })], policyEndpoints: [] });

    expect([unread.policies[0]?.enforcement, idle.policies[0]?.enforcement]).toEqual(['enforced', 'enforced']);
  });

  it('concludes nothing when another engine enforces NetworkPolicy too', () => {
    const model = modelOf({ networkPolicies: [policy('shop', 'deny')], policyEndpoints: [] }, [EngineName.VpcCni, EngineName.Calico]);

    expect(model.policies[0]?.enforcement).toBe('enforced');
  });
});
