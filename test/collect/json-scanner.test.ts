/** The streaming JSON reader: the same values as JSON.parse, however the bytes are cut into chunks. */
import fc from 'fast-check';
import { JsonScanError, scanJsonObject, type ScannedPart } from '../../lambda/collect/json-scanner.js';

/** `text` as chunks cut at `cuts` (byte offsets), as a stream or a file read would deliver it. */
async function* chunked(text: string, cuts: number[] = []): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(text);
  let start = 0;
  for (const cut of [...new Set(cuts)].sort((a, b) => a - b).filter((cut) => cut > 0 && cut < bytes.length)) {
    yield bytes.subarray(start, cut);
    start = cut;
  }
  yield bytes.subarray(start);
}

async function scanned(text: string, cuts?: number[]): Promise<ScannedPart[]> {
  const parts: ScannedPart[] = [];
  for await (const part of scanJsonObject(chunked(text, cuts))) parts.push(part);
  return parts;
}

async function scanError(text: string): Promise<JsonScanError> {
  try {
    await scanned(text);
  } catch (error) {
    if (error instanceof JsonScanError) return error;
  }
  throw new Error('expected a JsonScanError');
}

describe('scanJsonObject', () => {
  test('yields every item and member as JSON.parse reads them, for any chunking and indentation', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.jsonValue(), { maxLength: 6 }),
        fc.jsonValue(),
        fc.constantFrom(undefined, 2, 4),
        fc.array(fc.nat(4000), { maxLength: 12 }),
        async (items, metadata, indent, cuts) => {
          // Prepare
          const text = JSON.stringify({ apiVersion: 'v1', items, kind: 'List', metadata }, null, indent);
          const expected = JSON.parse(text) as { items: unknown[]; metadata: unknown };

          // Act
          const parts = await scanned(text, cuts);

          // Assess
          expect(parts.filter((part) => part.type === 'item').map((part) => (part as { value: unknown }).value)).toEqual(expected.items);
          expect(parts.find((part) => part.type === 'member' && part.key === 'metadata')).toEqual({ type: 'member', key: 'metadata', value: expected.metadata });
        },
      ),
      { numRuns: 200 },
    );
  });

  test('strings with escaped quotes and backslashes cut inside the escape keep their value', async () => {
    // Prepare
    const item = { note: 'a "quoted" \\ path \\\\ and \u00e9t\u00e9 \ud83d\ude00' };
    const text = JSON.stringify({ items: [item, item] });

    // Act: a cut at every byte
    const results = await Promise.all(Array.from({ length: Buffer.byteLength(text) }, (_, cut) => scanned(text, [cut])));

    // Assess
    for (const parts of results) expect(parts).toEqual([{ type: 'items' }, { type: 'item', index: 0, value: item }, { type: 'item', index: 1, value: item }]);
  });

  test.each([
    ['{"items": [{"a": 1}, {"b": ', 'truncated'],
    ['{"items": [{"a": 1}', 'truncated'],
    ['{"kind": "List"', 'truncated'],
    ['{"items": [{"a": 1} {"b": 2}]}', 'malformed'],
    ['{"items": [{"a": tru}]}', 'malformed'],
    ['{"items": []} extra', 'malformed'],
    ['{kind: List}', 'malformed'],
  ])('%s is %s', async (text, reason) => {
    // Act
    const error = await scanError(text);

    // Assess
    expect(error.reason).toBe(reason);
  });

  test('a bad value inside an item gives the offset of that item when JSON.parse names no position', async () => {
    // Prepare
    const text = '{"items": [{"a": 1}, {"b": 2, "c": x}]}';

    // Act
    const error = await scanError(text);

    // Assess
    expect(error.offset).toBe(text.indexOf('{"b"'));
  });
});
