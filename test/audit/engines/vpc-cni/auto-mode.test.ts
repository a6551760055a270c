import { describe, expect, test } from '@jest/globals';
import { eksAutoMode } from '../../../../lambda/audit/engines/vpc-cni/auto-mode.js';
import { eksCluster, node, snapshot } from '../fixtures.js';

describe('eksAutoMode', () => {
  test('is recognised from describe-cluster computeConfig.enabled alone', () => {
    // Prepare / Act
    const autoMode = eksAutoMode(snapshot({}, { eks: eksCluster(true) }));

    // Assess
    expect(autoMode).toEqual({ computeConfigEnabled: true, autoModeNodes: 0 });
  });

  test('is recognised from nodes labelled compute-type auto, counting only those', () => {
    // Prepare
    const nodes = [node('i-1', 'auto'), node('i-2', 'auto'), node('ip-10-0-1-9', 'ec2'), node('ip-10-0-1-10')];

    // Act
    const autoMode = eksAutoMode(snapshot({ nodes }));

    // Assess
    expect(autoMode).toEqual({ computeConfigEnabled: false, autoModeNodes: 2 });
  });

  test('is absent when computeConfig is disabled and no node is an Auto Mode node', () => {
    // Prepare
    const input = snapshot({ nodes: [node('fargate-ip-10-0-1-9', 'fargate')] }, { eks: eksCluster(false) });

    // Act / Assess
    expect(eksAutoMode(input)).toBeUndefined();
  });

  test('is absent without describe-cluster and without Nodes', () => {
    // Prepare / Act / Assess
    expect(eksAutoMode(snapshot({ daemonSets: [] }))).toBeUndefined();
  });
});
