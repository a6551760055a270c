import fc from 'fast-check';
import { describeSelector, matchesSelector, selectorProblem, selectsEverything } from '../../lambda/audit/selectors.js';
import type { LabelSelector, LabelSelectorRequirement } from '../../lambda/audit/snapshot.js';

describe('matchesSelector', () => {
  it('matches a pod lacking the key with NotIn', () => {
    // Prepare
    const selector = { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] };

    // Act
    const matched = matchesSelector(selector, { app: 'web' });

    // Assess
    expect(matched).toBe(true);
  });

  it('rejects a pod whose value NotIn lists', () => {
    const selector = { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod', 'stage'] }] };

    expect(matchesSelector(selector, { env: 'stage' })).toBe(false);
  });

  it('matches a pod lacking the key with DoesNotExist, and rejects one that has it with any value', () => {
    const selector = { matchExpressions: [{ key: 'legacy', operator: 'DoesNotExist' }] };

    const lacking = matchesSelector(selector, { app: 'web' });
    const having = matchesSelector(selector, { legacy: '' });

    expect([lacking, having]).toEqual([true, false]);
  });

  it('requires the key for In and Exists', () => {
    const inSelector = { matchExpressions: [{ key: 'tier', operator: 'In', values: ['web'] }] };
    const existsSelector = { matchExpressions: [{ key: 'tier', operator: 'Exists' }] };

    const results = [
      matchesSelector(inSelector, {}),
      matchesSelector(inSelector, { tier: 'web' }),
      matchesSelector(existsSelector, undefined),
      matchesSelector(existsSelector, { tier: '' }),
    ];

    expect(results).toEqual([false, true, false, true]);
  });

  it('ANDs matchLabels with matchExpressions', () => {
    const selector = { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }] };

    const both = matchesSelector(selector, { app: 'web', tier: 'front' });
    const labelsOnly = matchesSelector(selector, { app: 'web', tier: 'back' });
    const expressionOnly = matchesSelector(selector, { app: 'api', tier: 'front' });

    expect([both, labelsOnly, expressionOnly]).toEqual([true, false, false]);
  });

  it('selects every pod, even an unlabelled one, with an absent or empty selector', () => {
    const selectors: Array<LabelSelector | undefined> = [undefined, {}, { matchLabels: {} }, { matchExpressions: [] }];

    const results = selectors.map((selector) => matchesSelector(selector, undefined));

    expect(results).toEqual([true, true, true, true]);
  });

  it('does not find inherited object properties as labels', () => {
    const selector = { matchExpressions: [{ key: 'constructor', operator: 'Exists' }] };

    expect(matchesSelector(selector, { app: 'web' })).toBe(false);
  });

  it('matches nothing with an unknown operator', () => {
    const selector = { matchExpressions: [{ key: 'app', operator: 'Contains', values: ['web'] }] };

    expect(matchesSelector(selector, { app: 'web' })).toBe(false);
  });
});

describe('selectorProblem', () => {
  it.each([
    ['an absent selector', undefined],
    ['a null selector', null],
    ['an empty selector', {}],
    ['a full selector', { matchLabels: { 'app.kubernetes.io/name': 'web', tier: '' }, matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }, { key: 'legacy', operator: 'DoesNotExist', values: [] }] }],
  ])('accepts %s', (_name, selector) => {
    expect(selectorProblem(selector)).toBeUndefined();
  });

  it.each([
    ['an unknown operator', { matchExpressions: [{ key: 'a', operator: 'In', values: ['x'] }, { key: 'b', operator: 'Contains', values: ['x'] }] }, 'matchExpressions[1].operator "Contains" is not one of In, NotIn, Exists, DoesNotExist'],
    ['a missing operator', { matchExpressions: [{ key: 'a' }] }, 'matchExpressions[0].operator is missing'],
    ['In without values', { matchExpressions: [{ key: 'a', operator: 'In' }] }, 'matchExpressions[0].values must not be empty for operator In'],
    ['NotIn with an empty list', { matchExpressions: [{ key: 'a', operator: 'NotIn', values: [] }] }, 'matchExpressions[0].values must not be empty for operator NotIn'],
    ['Exists with values', { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }, 'matchExpressions[0].values must be empty for operator Exists'],
    ['a number as a label value', { matchLabels: { replicas: 3 } }, 'matchLabels["replicas"] is 3, not a string'],
    ['a number among values', { matchExpressions: [{ key: 'a', operator: 'In', values: ['x', true] }] }, 'matchExpressions[0].values[1] is true, not a string'],
    ['matchExpressions that is not a list', { matchExpressions: { key: 'a' } }, 'matchExpressions is not a list'],
    ['matchLabels that is a list', { matchLabels: ['app'] }, 'matchLabels is not an object'],
    ['a selector that is a string', 'app=web', 'the selector is not an object'],
    ['an invalid label key', { matchLabels: { 'bad key': 'x' } }, 'matchLabels["bad key"] "bad key" is not a valid label key'],
    ['an invalid label value', { matchLabels: { app: 'web app' } }, 'matchLabels["app"] "web app" is not a valid label value'],
  ])('rejects %s in one line naming where', (_name, selector, reason) => {
    expect(selectorProblem(selector)).toBe(reason);
  });

  it('shortens a megabyte label value in its reason', () => {
    // Prepare
    const huge = 'a'.repeat(1024 * 1024);

    // Act
    const reason = selectorProblem({ matchLabels: { app: huge } }) ?? '';

    // Assess
    expect(reason).toMatch(/^matchLabels\["app"\] "a{40}"… \(1048576 characters\) is longer than 63 characters$/);
  });
});

describe('describeSelector', () => {
  it('writes requirements in kubectl notation', () => {
    const selector = {
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['a', 'b'] },
        { key: 'env', operator: 'NotIn', values: ['prod'] },
        { key: 'team', operator: 'Exists' },
        { key: 'legacy', operator: 'DoesNotExist' },
      ],
    };

    expect(describeSelector(selector)).toBe('app=web,tier in (a,b),env notin (prod),team,!legacy');
  });

  it('says an empty selector selects all pods', () => {
    expect(describeSelector({ matchExpressions: [] })).toBe('{} (all pods)');
  });
});

// ---- Properties: the matcher against a plain reference formulation ----

const KEYS = ['app', 'tier', 'env', 'team'];
const VALUES = ['a', 'b', 'c', ''];
const key = fc.constantFrom(...KEYS);
const value = fc.constantFrom(...VALUES);
const labels = fc.dictionary(key, value, { maxKeys: 4 });
const valueList = fc.uniqueArray(value, { minLength: 1, maxLength: 3 });
const requirement: fc.Arbitrary<LabelSelectorRequirement> = fc.oneof(
  fc.record({ key, operator: fc.constantFrom('In', 'NotIn'), values: valueList }),
  fc.record({ key, operator: fc.constantFrom('Exists', 'DoesNotExist') }),
);
const selector: fc.Arbitrary<LabelSelector> = fc.record(
  { matchLabels: fc.dictionary(key, value, { maxKeys: 3 }), matchExpressions: fc.array(requirement, { maxLength: 4 }) },
  { requiredKeys: [] },
);

/**
 * The reference: a selector is the list of its requirements, matchLabels being `key In (value)`; a set of labels
 * satisfies it when each requirement's predicate holds, evaluated over a Map of the labels.
 */
function referenceMatch(sel: LabelSelector, podLabels: Record<string, string>): boolean {
  const present = new Map(Object.entries(podLabels));
  const requirements: LabelSelectorRequirement[] = [
    ...Object.entries(sel.matchLabels ?? {}).map(([k, v]) => ({ key: k, operator: 'In', values: [v] })),
    ...(sel.matchExpressions ?? []),
  ];
  const predicates = requirements.map(({ key: k, operator, values = [] }) => {
    if (operator === 'In') return () => present.has(k) && values.includes(present.get(k) as string);
    if (operator === 'NotIn') return () => !present.has(k) || !values.includes(present.get(k) as string);
    if (operator === 'Exists') return () => present.has(k);
    return () => !present.has(k);
  });
  let result = true;
  for (const predicate of predicates) result = result && predicate();
  return result;
}

describe('matchesSelector properties', () => {
  it('agrees with the reference formulation on random selectors and labels', () => {
    fc.assert(fc.property(selector, labels, (sel, podLabels) => matchesSelector(sel, podLabels) === referenceMatch(sel, podLabels)), {
      numRuns: 2000,
    });
  });

  it('selects everything with matchLabels {} (and no expressions)', () => {
    fc.assert(fc.property(labels, (podLabels) => matchesSelector({ matchLabels: {} }, podLabels)));
  });

  it('treats NotIn v as the negation of In v', () => {
    fc.assert(
      fc.property(key, valueList, labels, (k, values, podLabels) => {
        const inResult = matchesSelector({ matchExpressions: [{ key: k, operator: 'In', values }] }, podLabels);
        const notInResult = matchesSelector({ matchExpressions: [{ key: k, operator: 'NotIn', values }] }, podLabels);
        return notInResult === !inResult;
      }),
    );
  });

  it('treats DoesNotExist as the negation of Exists', () => {
    fc.assert(
      fc.property(key, labels, (k, podLabels) => {
        const exists = matchesSelector({ matchExpressions: [{ key: k, operator: 'Exists' }] }, podLabels);
        const absent = matchesSelector({ matchExpressions: [{ key: k, operator: 'DoesNotExist' }] }, podLabels);
        return absent === !exists;
      }),
    );
  });

  it('only narrows when a requirement is added', () => {
    fc.assert(
      fc.property(selector, requirement, labels, (sel, extra, podLabels) => {
        const narrowed = { ...sel, matchExpressions: [...(sel.matchExpressions ?? []), extra] };
        return !matchesSelector(narrowed, podLabels) || matchesSelector(sel, podLabels);
      }),
    );
  });

  it('finds every generated selector valid, and "selects everything" only when it has no requirement', () => {
    fc.assert(
      fc.property(selector, (sel) => {
        const empty = Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0;
        return selectorProblem(sel) === undefined && selectsEverything(sel) === empty;
      }),
    );
  });
});
