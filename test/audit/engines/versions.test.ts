import { describe, expect, test } from '@jest/globals';
import { GateState, imageTag, isAtLeast, parseVersion, versionGate } from '../../../lambda/audit/engines/versions.js';

describe('isAtLeast', () => {
  test.each([
    ['an EKS add-on build of the gate release', 'v1.17.1-eksbuild.1', 'v1.17.1', true],
    ['the gate itself', 'v1.17.1', 'v1.17.1', true],
    ['a lower patch', 'v1.17.0-eksbuild.3', 'v1.17.1', false],
    ['a higher minor, compared as numbers', 'v1.100.0', 'v1.21', true],
    ['a lower minor, compared as numbers', 'v1.9.9', 'v1.14.0', false],
    ['a higher major', 'v2.0.0', 'v1.21', true],
    ['an image tag without the v', '3.29.1', 'v3.29', true],
    ['a short gate against a patch release', 'v1.21.1-eksbuild.2', 'v1.21', true],
    ['a release candidate of the gate release', 'v1.21.0-rc.1', 'v1.21', false],
    ['a release candidate of a later release', 'v1.22.0-rc.1', 'v1.21', true],
  ])('%s: %s against %s', (_name, version, minimum, expected) => {
    // Prepare / Act / Assess
    expect(isAtLeast(version, minimum)).toBe(expected);
  });

  test.each([undefined, '', 'latest', '20240101', 'v1', 'sha256:0123abcd', '1.18.3foo', 'version 1.18'])(
    'cannot compare %j',
    (version) => {
      // Prepare / Act / Assess
      expect(isAtLeast(version, 'v1.14.0')).toBeUndefined();
    },
  );

  test('refuses a gate that is not a version, as a programming error', () => {
    // Prepare / Act / Assess
    expect(() => isAtLeast('v1.18.0', 'latest')).toThrow('version gate latest is not a version');
  });
});

describe('parseVersion', () => {
  test('reads major, minor and patch, a missing patch as 0', () => {
    // Prepare / Act / Assess
    expect(parseVersion(' v1.21 ')).toEqual({ parts: [1, 21, 0], preRelease: false });
    expect(parseVersion('v1.19.0-eksbuild.1')).toEqual({ parts: [1, 19, 0], preRelease: false });
    expect(parseVersion('v3.30.0-beta.1')).toEqual({ parts: [3, 30, 0], preRelease: true });
  });
});

describe('imageTag', () => {
  test.each([
    ['an ECR image', '602401143452.dkr.ecr.us-west-2.amazonaws.com/amazon-k8s-cni:v1.19.2-eksbuild.1', 'v1.19.2-eksbuild.1'],
    ['a registry with a port', 'registry.local:5000/calico/node:v3.29.1', 'v3.29.1'],
    ['a tag and a digest', 'docker.io/calico/node:v3.29.1@sha256:0123abcd', 'v3.29.1'],
    ['a digest only', 'docker.io/calico/node@sha256:0123abcd', undefined],
    ['no tag, with a registry port', 'registry.local:5000/calico/node', undefined],
    ['an empty tag', 'calico/node:', undefined],
    ['no image', undefined, undefined],
  ])('%s', (_name, image, expected) => {
    // Prepare / Act / Assess
    expect(imageTag(image)).toBe(expected);
  });
});

describe('versionGate', () => {
  test('is met, below or unknown, each with a clause naming the version and where it was read', () => {
    // Prepare
    const at = (version?: string) => ({ ...(version ? { version } : {}), source: 'the aws-node image' });

    // Act
    const readings = [
      versionGate('ApplicationNetworkPolicies', 'VPC CNI', 'v1.21.0', at('v1.21.1-eksbuild.1')),
      versionGate('ApplicationNetworkPolicies', 'VPC CNI', 'v1.21.0', at('v1.19.2')),
      versionGate('ApplicationNetworkPolicies', 'VPC CNI', 'v1.21.0', at()),
      versionGate('ApplicationNetworkPolicies', 'VPC CNI', 'v1.21.0', { source: 'EKS Auto Mode', managedBy: 'EKS Auto Mode' }),
    ];

    // Assess
    expect(readings).toEqual([
      { state: GateState.Met, clause: 'VPC CNI v1.21.1-eksbuild.1 (the aws-node image) is v1.21.0 or later' },
      { state: GateState.Below, clause: 'ApplicationNetworkPolicies came with VPC CNI v1.21.0, and the aws-node image is v1.19.2' },
      { state: GateState.Unknown, clause: 'ApplicationNetworkPolicies came with VPC CNI v1.21.0, and its version cannot be told: the aws-node image' },
      { state: GateState.Met, clause: 'EKS Auto Mode runs VPC CNI itself' },
    ]);
  });
});
