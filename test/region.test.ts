import { isRegionName } from '../lambda/region.js';

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
