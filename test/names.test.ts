import { clusterArnParts, isAccountId, isClusterName, isRegionName } from '../lambda/names.js';

describe('isRegionName', () => {
  test.each(['eu-west-1', 'us-east-2', 'ap-southeast-2', 'us-gov-west-1', 'cn-north-1', 'us-iso-east-1', 'us-isob-east-1', 'eusc-de-east-1'])(
    'accepts %s',
    (region) => {
      expect(isRegionName(region)).toBe(true);
    },
  );

  test.each(['Ireland', 'eu-west', 'EU-WEST-1', 'eu-west-1.evil.example', 'eu-west-1\n', 'abcde-west-1', 'e-west-1', ''])(
    'refuses %j',
    (value) => {
      expect(isRegionName(value)).toBe(false);
    },
  );
});

describe('isClusterName', () => {
  test.each(['prod', 'prod-eu_1', '0cluster', 'a'.repeat(100)])('accepts %s', (name) => {
    expect(isClusterName(name)).toBe(true);
  });

  test.each(['', '-prod', 'prod.eu', 'prod/eu', 'a'.repeat(101), 'prod\n'])('refuses %j', (name) => {
    expect(isClusterName(name)).toBe(false);
  });
});

describe('isAccountId', () => {
  test.each([
    ['111122223333', true],
    ['11112222333', false],
    ['1111222233334', false],
    ['11112222333a', false],
  ])('%s: %s', (value, expected) => {
    expect(isAccountId(value)).toBe(expected);
  });
});

describe('clusterArnParts', () => {
  test('reads partition, region, account and name', () => {
    expect(clusterArnParts('arn:aws-us-gov:eks:us-gov-west-1:111122223333:cluster/prod')).toEqual({
      partition: 'aws-us-gov',
      region: 'us-gov-west-1',
      accountId: '111122223333',
      name: 'prod',
    });
  });

  test.each([
    'arn:aws:eks:eu-west-1:111122223333:nodegroup/prod/ng/1',
    'arn:aws:ec2:eu-west-1:111122223333:cluster/prod',
    'arn:aws:eks:eu-west-1:1111:cluster/prod',
    'prod',
  ])('refuses %s', (arn) => {
    expect(clusterArnParts(arn)).toBeUndefined();
  });
});
