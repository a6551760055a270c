/**
 * The command's output formats: the line formats are written piece by piece, in chunks of whole lines, and the
 * pieces put together are byte for byte the one string they replace.
 */
import { OutputFormat } from '../../cli/args.js';
import { formatFindings } from '../../cli/format.js';
import { toOcsf } from '../../lambda/report/ocsf.js';
import { finding } from '../report/fixtures.js';

/** Enough findings for several chunks: 2,000 namespaces without policy. */
const MANY = Array.from({ length: 2_000 }, (_, index) =>
  finding({ resource: { kind: 'Namespace', namespace: null, name: `team-${index}` }, message: `namespace team-${index} has no NetworkPolicy` }),
);

describe.each([
  [OutputFormat.Jsonl, (record: (typeof MANY)[number]) => JSON.stringify(record)],
  [OutputFormat.Ocsf, (record: (typeof MANY)[number]) => JSON.stringify(toOcsf(record))],
])('--format %s', (format, line) => {
  test('comes in several pieces of whole lines that together are one line per finding, in order', () => {
    // Act
    const pieces = [...formatFindings(MANY, format, false)];

    // Assess
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.every((piece) => piece.endsWith('\n'))).toBe(true);
    expect(pieces.join('')).toBe(MANY.map((record) => `${line(record)}\n`).join(''));
  });

  test('prints nothing for no findings', () => {
    expect([...formatFindings([], format, false)].join('')).toBe('');
  });
});

test('--format json is one piece: the pretty array', () => {
  // Act
  const pieces = [...formatFindings(MANY.slice(0, 3), OutputFormat.Json, false)];

  // Assess
  expect(pieces).toEqual([`${JSON.stringify(MANY.slice(0, 3), null, 2)}\n`]);
});
