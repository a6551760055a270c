import { describe, expect, test } from '@jest/globals';
import { vpcCniVersion } from '../../../../lambda/audit/engines/vpc-cni/version.js';
import { awsNode, eksCluster, snapshot, vpcCniAddon } from '../fixtures.js';

const IMAGE = '602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon-k8s-cni';

describe('vpcCniVersion', () => {
  test('reads the aws-node image tag first: in-cluster evidence wins over the add-on', () => {
    // Prepare
    const snap = snapshot({ daemonSets: [awsNode({ image: `${IMAGE}:v1.21.1-eksbuild.1` })] }, { addons: [vpcCniAddon('{}', 'v1.19.0-eksbuild.1')] });

    // Act / Assess
    expect(vpcCniVersion(snap)).toEqual({ version: 'v1.21.1-eksbuild.1', source: 'the aws-node image of kube-system/aws-node' });
  });

  test('takes the add-on version when the image is pinned by digest', () => {
    // Prepare
    const snap = snapshot({ daemonSets: [awsNode({ image: `${IMAGE}@sha256:0123abcd` })] }, { addons: [vpcCniAddon('{}', 'v1.19.0-eksbuild.1')] });

    // Act / Assess
    expect(vpcCniVersion(snap)).toEqual({ version: 'v1.19.0-eksbuild.1', source: 'the vpc-cni add-on' });
  });

  test('says why there is no version when neither names one', () => {
    // Prepare
    const digest = snapshot({ daemonSets: [awsNode({ image: `${IMAGE}@sha256:0123abcd` })] });
    const noImage = snapshot({ daemonSets: [awsNode()] });
    const nothing = snapshot({});

    // Act / Assess
    expect([vpcCniVersion(digest), vpcCniVersion(noImage), vpcCniVersion(nothing)]).toEqual([
      { source: `the aws-node image of kube-system/aws-node (${IMAGE}@sha256:0123abcd) names no version, and no vpc-cni add-on version was read` },
      { source: 'kube-system/aws-node names no aws-node image, and no vpc-cni add-on version was read' },
      { source: 'neither the aws-node DaemonSet nor a vpc-cni add-on version was read' },
    ]);
  });

  test('reads the add-on when DaemonSets were not read, and takes EKS Auto Mode without aws-node as current', () => {
    // Prepare
    const addonOnly = snapshot({}, { addons: [vpcCniAddon('{}', 'v1.20.0-eksbuild.1')] });
    const autoMode = snapshot({ daemonSets: [] }, { eks: eksCluster(true) });

    // Act / Assess
    expect([vpcCniVersion(addonOnly), vpcCniVersion(autoMode)]).toEqual([
      { version: 'v1.20.0-eksbuild.1', source: 'the vpc-cni add-on' },
      { source: 'EKS Auto Mode', managedBy: 'EKS Auto Mode' },
    ]);
  });
});
