import { withoutUndefined } from '../../lambda/audit/records.js';

describe('withoutUndefined', () => {
  test('drops undefined members and keeps every other value, falsy ones and null included', () => {
    // Prepare
    const record = { absent: undefined, none: null, off: false, zero: 0, empty: '', name: 'prod' };

    // Act
    const kept = withoutUndefined(record);

    // Assess
    expect(Object.keys(kept)).toEqual(['none', 'off', 'zero', 'empty', 'name']);
    expect(kept).toEqual({ none: null, off: false, zero: 0, empty: '', name: 'prod' });
  });
});
