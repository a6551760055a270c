/**
 * Calico's selector language: the grammar as Calico documents it, errors that name the position, and two properties —
 * evaluation equals a plain reference formulation of the documented semantics over generated selector texts (random
 * spacing, quoting and parentheses), and parse → print → parse gives back the same selector.
 */
import fc from 'fast-check';
import {
  matchesCalicoSelector,
  parseCalicoSelector,
  printCalicoSelector,
  type CalicoSelector,
} from '../../../lambda/audit/calico/selector.js';

function parsed(text: string): CalicoSelector {
  const result = parseCalicoSelector(text);
  if (!result.ok) throw new Error(`${text}: ${result.problem} at ${result.position}`);
  return result.selector;
}

function matches(text: string, labels: Record<string, string>): boolean {
  return matchesCalicoSelector(parsed(text), labels);
}

describe('Calico selector grammar', () => {
  it.each([
    ['app == "web"', { app: 'web' }, true],
    ["app == 'web'", { app: 'db' }, false],
    ['app != "web"', {}, true],
    ['app != "web"', { app: 'web' }, false],
    ['app in {"web", "db"}', { app: 'db' }, true],
    ['app in {"web", "db"}', {}, false],
    ['app in {}', { app: 'web' }, false],
    ['app not in {"web"}', {}, true],
    ['app not in {"web"}', { app: 'web' }, false],
    ['has(app)', { app: '' }, true],
    ['!has(app)', { tier: 'x' }, true],
    ['!has(app)', { app: 'web' }, false],
    ['all()', {}, true],
    ['', { app: 'web' }, true],
    ['   ', {}, true],
    ['global()', { app: 'web' }, false],
    ['app contains "e"', { app: 'web' }, true],
    ['app contains "e"', {}, false],
    ['app starts with "we"', { app: 'web' }, true],
    ['app ends with "we"', { app: 'web' }, false],
    ['!(app ends with "eb")', {}, true],
    ['app == "web" && tier == "a" || has(admin)', { admin: 'y' }, true],
    ['app == "web" && (tier == "a" || has(admin))', { admin: 'y' }, false],
    ['projectcalico.org/namespace == "shop"', { 'projectcalico.org/namespace': 'shop' }, true],
    ["value == \"it's\"", { value: "it's" }, true],
    ['has == "x"', { has: 'x' }, true],
  ])('%s on %j is %s', (text, labels, expected) => {
    // Prepare, Act
    const result = matches(text, labels as Record<string, string>);

    // Assess
    expect(result).toBe(expected);
  });

  it.each([
    ['app == ', 'expected a quoted string, found the end of the selector', 7],
    ['app = "web"', 'unexpected character "="', 4],
    ['has(app', 'expected ")", found the end of the selector', 7],
    ['app in {"a",}', 'expected a quoted string, found "}"', 12],
    ['app == "web', 'the string opened with " is not closed', 7],
    ['&& app == "x"', 'expected a label name, has(), all(), global(), "!" or "(", found "&&"', 0],
    ['app == "x" tier == "y"', 'expected "&&", "||" or the end of the selector, found "tier"', 11],
    ['app', 'expected "==", "!=", "in", "not in", "contains", "starts with" or "ends with" after label "app", found the end of the selector', 3],
    ['app == web', 'expected a quoted string, found "web"', 7],
  ])('%j is refused: %s at %d', (text, problem, position) => {
    // Prepare, Act
    const result = parseCalicoSelector(text);

    // Assess
    expect(result).toEqual({ ok: false, problem, position });
  });

  it('prints one canonical spelling', () => {
    // Prepare
    const selector = parsed("!(a=='1'||b!='2')&&c in{'x','y\"'}&&(d||e)".replace('(d||e)', '(has(d)||!has(e))'));

    // Act
    const printed = printCalicoSelector(selector);

    // Assess
    expect(printed).toBe('!(a == "1" || b != "2") && c in {"x", \'y"\'} && (has(d) || !has(e))');
  });
});

const KEYS = ['app', 'tier', 'projectcalico.org/namespace', 'has'];
const VALUES = ['web', 'db', '', 'a b', "it's", 'say "hi"', 'we'];
const labelsArbitrary = fc.dictionary(fc.constantFrom(...KEYS), fc.constantFrom(...VALUES), { maxKeys: 4 });

/** A selector text together with the documented meaning of that text, written out plainly. */
interface Generated {
  text: string;
  holds(labels: Record<string, string>): boolean;
}

const space = fc.constantFrom('', ' ', '  ', '\t');
const quoted = (value: string) => (value.includes('"') ? fc.constant(`'${value}'`) : value.includes("'") ? fc.constant(`"${value}"`) : fc.constantFrom(`"${value}"`, `'${value}'`));
const has = (labels: Record<string, string>, key: string) => Object.prototype.hasOwnProperty.call(labels, key);

const leaf: fc.Arbitrary<Generated> = fc.oneof(
  fc.record({ key: fc.constantFrom(...KEYS), value: fc.constantFrom(...VALUES), op: fc.constantFrom('==', '!=', 'contains', 'starts with', 'ends with'), s1: space, s2: space }).chain(
    ({ key, value, op, s1, s2 }) =>
      quoted(value).map((text) => ({
        text: `${key}${op === '==' || op === '!=' ? s1 : ' '}${op}${s2 || (op.length > 2 ? ' ' : '')}${text}`,
        holds: (labels: Record<string, string>) => {
          const present = has(labels, key);
          const found = labels[key] ?? '';
          if (op === '==') return present && found === value;
          if (op === '!=') return !(present && found === value);
          if (op === 'contains') return present && found.indexOf(value) >= 0;
          if (op === 'starts with') return present && found.slice(0, value.length) === value;
          return present && value.length <= found.length && found.slice(found.length - value.length) === value;
        },
      })),
  ),
  fc.record({ key: fc.constantFrom(...KEYS), values: fc.uniqueArray(fc.constantFrom(...VALUES), { maxLength: 3 }), negated: fc.boolean(), s: space }).chain(
    ({ key, values, negated, s }) =>
      fc.tuple(...values.map(quoted)).map((texts) => ({
        text: `${key} ${negated ? 'not in' : 'in'}${s || ' '}{${s}${texts.join(`${s},${s}`)}${s}}`,
        holds: (labels: Record<string, string>) => negated !== (has(labels, key) && values.some((value) => value === labels[key])),
      })),
  ),
  fc.record({ key: fc.constantFrom(...KEYS), s: space }).map(({ key, s }) => ({ text: `has(${s}${key}${s})`, holds: (labels: Record<string, string>) => has(labels, key) })),
  fc.constantFrom<Generated>({ text: 'all()', holds: () => true }, { text: 'global()', holds: () => false }),
);

const generated: fc.Arbitrary<Generated> = fc.letrec<{ node: Generated }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    tie('node').map((inner) => ({ text: `!(${inner.text})`, holds: (labels: Record<string, string>) => !inner.holds(labels) })),
    fc.tuple(tie('node'), tie('node'), fc.constantFrom('&&', '||'), space).map(([left, right, op, s]) => ({
      text: `(${left.text})${s}${op}${s}(${right.text})`,
      holds: (labels: Record<string, string>) => (op === '&&' ? left.holds(labels) && right.holds(labels) : left.holds(labels) || right.holds(labels)),
    })),
  ),
})).node;

describe('Calico selector properties', () => {
  it('evaluates every generated selector text as the documented semantics say', () => {
    fc.assert(
      fc.property(generated, labelsArbitrary, (selector, labels) => {
        // Prepare, Act
        const result = matches(selector.text, labels);

        // Assess
        expect(result).toBe(selector.holds(labels));
      }),
      { numRuns: 500 },
    );
  });

  it('parses its own printing back to the same selector, with the same meaning', () => {
    fc.assert(
      fc.property(generated, labelsArbitrary, (selector, labels) => {
        // Prepare
        const first = parsed(selector.text);

        // Act
        const again = parsed(printCalicoSelector(first));

        // Assess
        expect(again).toEqual(first);
        expect(matchesCalicoSelector(again, labels)).toBe(selector.holds(labels));
      }),
      { numRuns: 500 },
    );
  });
});
