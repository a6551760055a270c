import { parseAuditArguments, SourceMode } from '../../cli/args.js';

describe('--region', () => {
  test('accepts the region names of every partition, as the EKS token signer does', () => {
    // Prepare
    const regions = ['eu-west-1', 'us-gov-west-1', 'us-isob-east-1', 'eusc-de-east-1'];

    // Act
    const parsed = parseAuditArguments(['--all-clusters', ...regions.flatMap((region) => ['--region', region])]);

    // Assess
    expect(parsed).toMatchObject({ sources: { mode: SourceMode.Eks, allClusters: true, regions } });
  });
});
