import { describe, expect, test } from '@jest/globals';
import { joinRemediation, listOf } from '../../../lambda/audit/engines/wording.js';

describe('joinRemediation', () => {
  test('joins sentences with spaces and drops empty parts', () => {
    // Prepare / Act / Assess
    expect(joinRemediation(['Do this.', '', 'Then that.'])).toBe('Do this. Then that.');
  });

  test('puts a multi-line manifest after every sentence, whatever the order given', () => {
    // Prepare
    const manifest = 'Apply this:\nkind: ConfigMap\ndata:\n  key: "true"';

    // Act
    const joined = joinRemediation([manifest, 'Restart the agents.']);

    // Assess
    expect(joined).toBe(`Restart the agents.\n${manifest}`);
  });

  test('is empty when no part says anything', () => {
    // Prepare / Act / Assess
    expect(joinRemediation(['', ''])).toBe('');
  });
});

describe('listOf', () => {
  test.each([
    [[], ''],
    [['calico'], 'calico'],
    [['aws-vpc-cni', 'calico'], 'aws-vpc-cni and calico'],
    [['a', 'b', 'c'], 'a, b and c'],
  ])('%j reads %s', (items, expected) => {
    // Prepare / Act / Assess
    expect(listOf(items)).toBe(expected);
  });
});
