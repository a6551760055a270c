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

describe('offline identity', () => {
  test('--region with --kube names the files\' cluster region instead of selecting EKS clusters', () => {
    // Act
    const parsed = parseAuditArguments(['--kube', 'cluster.json', '--cluster-name', 'prod', '--region', 'eusc-de-east-1', '--account', '111122223333']);

    // Assess
    expect(parsed).toMatchObject({
      sources: { mode: SourceMode.Offline, offline: { identity: { name: 'prod', region: 'eusc-de-east-1', accountId: '111122223333' } } },
    });
  });

  test.each([
    [['--kube', 'c.json', '--region', 'eu-west-1', '--region', 'us-east-1'], '--region is given more than once: offline files are one cluster, in one region'],
    [['--kube', 'c.json', '--account', '1234'], '--account "1234" is not an AWS account id (12 digits)'],
    [['--kube', 'c.json', '--cluster-name', 'a/b'], '--cluster-name "a/b" is not a cluster name (letters, digits, - and _, at most 100)'],
    [['--cluster-name', 'prod', '--cluster', 'prod'], '--cluster-name cannot be combined with --cluster: audit files, a kubeconfig context, or EKS clusters'],
    [['--region', 'eu-west-1'], '--region needs --cluster NAME or --all-clusters (or --kube FILE)'],
  ])('%j is refused: %s', (args, message) => {
    // Act
    const parse = () => parseAuditArguments(args);

    // Assess
    expect(parse).toThrow(message);
  });
});
