/**
 * A streaming reader for the one JSON shape that gets large: a top-level object whose `items` array holds the
 * objects (`kubectl get … -o json`, the API's typed lists). It finds where each value starts and ends by scanning
 * bytes (strings, escapes, nesting) and hands each item to `JSON.parse` alone, so a capture of any size is read
 * with the memory of one item at a time plus what the caller keeps, at close to `JSON.parse`'s own speed. The
 * other members of the top-level object (`kind`, `apiVersion`, `metadata`) are parsed the same way.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

/** Why the scanner stopped: the input ended inside a value (`truncated`), or it is not JSON of this shape. */
export class JsonScanError extends Error {
  override readonly name = 'JsonScanError';

  constructor(
    readonly reason: 'truncated' | 'malformed',
    /** Byte offset in the input where the problem is. */
    readonly offset: number,
    detail: string,
  ) {
    super(detail);
  }
}

/** What the scanner reports, in input order. */
export type ScannedPart =
  /** The `items` array begins (it may be empty). */
  | { type: 'items' }
  | { type: 'item'; index: number; value: unknown }
  /** A member of the top-level object other than `items`. */
  | { type: 'member'; key: string; value: unknown };

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/** Reads bytes from an async source of chunks, with a cursor and the offset of the first byte in the input. */
class ByteCursor {
  private buffer: Buffer = Buffer.alloc(0);
  private position = 0;
  /** Offset in the input of `buffer[0]`. */
  private base = 0;
  private ended = false;

  constructor(private readonly chunks: AsyncIterator<Buffer>) {}

  offset(): number {
    return this.base + this.position;
  }

  /** The next byte that is not white space, without consuming it; `undefined` at the end of the input. */
  async peekNonSpace(): Promise<number | undefined> {
    for (;;) {
      while (this.position < this.buffer.length) {
        const byte = this.buffer[this.position]!;
        if (!isSpace(byte)) return byte;
        this.position += 1;
      }
      if (!(await this.refill())) return undefined;
    }
  }

  skip(): void {
    this.position += 1;
  }

  /**
   * The bytes of the JSON value starting at the cursor (after white space was skipped), consumed. Scalars end at the
   * first delimiter; strings, objects and arrays at their closing byte.
   */
  async value(): Promise<Buffer> {
    const parts: Buffer[] = [];
    const first = this.buffer[this.position]!;
    const scalar = first !== QUOTE && first !== OPEN_BRACE && first !== OPEN_BRACKET;
    let depth = 0;
    let inString = false;
    let escaped = false;
    for (;;) {
      const buffer = this.buffer;
      let index = this.position;
      const start = index;
      let nextBackslash = -2;
      let done = false;
      while (index < buffer.length) {
        if (escaped) {
          escaped = false;
          index += 1;
          continue;
        }
        if (inString) {
          // Strings are most of the bytes: jump from quote to quote, stopping at escapes.
          if (nextBackslash !== -1 && nextBackslash < index) nextBackslash = buffer.indexOf(BACKSLASH, index);
          const quote = buffer.indexOf(QUOTE, index);
          if (nextBackslash !== -1 && (quote === -1 || nextBackslash < quote)) {
            escaped = true;
            index = nextBackslash + 1;
            continue;
          }
          if (quote === -1) {
            index = buffer.length;
            break;
          }
          index = quote + 1;
          inString = false;
          if (depth === 0) {
            done = true;
            break;
          }
          continue;
        }
        const byte = buffer[index]!;
        if (scalar) {
          if (byte === COMMA || byte === CLOSE_BRACE || byte === CLOSE_BRACKET || isSpace(byte)) {
            done = true;
            break;
          }
          index += 1;
          continue;
        }
        index += 1;
        if (byte === QUOTE) inString = true;
        else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth += 1;
        else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
          depth -= 1;
          if (depth === 0) {
            done = true;
            break;
          }
        }
      }
      parts.push(buffer.subarray(start, index));
      this.position = index;
      if (done) return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
      if (!(await this.refill())) {
        if (scalar && parts.some((part) => part.length > 0)) return Buffer.concat(parts);
        throw new JsonScanError('truncated', this.offset(), 'the input ends inside a value');
      }
    }
  }

  private async refill(): Promise<boolean> {
    if (this.ended) return false;
    const next = await this.chunks.next();
    if (next.done) {
      this.ended = true;
      return false;
    }
    this.base += this.buffer.length;
    this.buffer = next.value;
    this.position = 0;
    return true;
  }
}

/**
 * Scans `chunks` (the input after any byte-order mark) as one JSON object, yielding each element of its `items`
 * array and each other member as soon as it is complete. Throws {@link JsonScanError} when the input is not such an
 * object, ends early, or a value is not JSON; the error's offset says where.
 */
export async function* scanJsonObject(chunks: AsyncIterable<Buffer>): AsyncGenerator<ScannedPart> {
  const cursor = new ByteCursor(chunks[Symbol.asyncIterator]());
  const expect = async (wanted: number[], what: string): Promise<number> => {
    const byte = await cursor.peekNonSpace();
    if (byte === undefined) throw new JsonScanError('truncated', cursor.offset(), `the input ends where ${what} was expected`);
    if (!wanted.includes(byte)) throw new JsonScanError('malformed', cursor.offset(), `expected ${what}`);
    cursor.skip();
    return byte;
  };
  const parse = async (): Promise<unknown> => {
    const start = cursor.offset();
    if ((await cursor.peekNonSpace()) === undefined) throw new JsonScanError('truncated', start, 'the input ends where a value was expected');
    const valueStart = cursor.offset();
    const bytes = await cursor.value();
    try {
      return JSON.parse(bytes.toString('utf8'));
    } catch (error) {
      const position = / at position (\d+)/.exec((error as Error).message);
      const offset = valueStart + (position ? Number(position[1]) : 0);
      throw new JsonScanError('malformed', offset, ((error as Error).message.split(' in JSON at')[0] ?? '').trim());
    }
  };

  await expect([OPEN_BRACE], 'an object');
  if ((await cursor.peekNonSpace()) === CLOSE_BRACE) {
    cursor.skip();
  } else {
    for (;;) {
      const key = await parse();
      if (typeof key !== 'string') throw new JsonScanError('malformed', cursor.offset(), 'expected a member name');
      await expect([COLON], "':' after a member name");
      if (key === 'items' && (await cursor.peekNonSpace()) === OPEN_BRACKET) {
        cursor.skip();
        yield { type: 'items' };
        let index = 0;
        if ((await cursor.peekNonSpace()) === CLOSE_BRACKET) cursor.skip();
        else {
          for (;;) {
            yield { type: 'item', index, value: await parse() };
            index += 1;
            if ((await expect([COMMA, CLOSE_BRACKET], "',' or ']' after an item")) === CLOSE_BRACKET) break;
          }
        }
      } else {
        yield { type: 'member', key, value: await parse() };
      }
      if ((await expect([COMMA, CLOSE_BRACE], "',' or '}' after a member")) === CLOSE_BRACE) break;
    }
  }
  const trailing = await cursor.peekNonSpace();
  if (trailing !== undefined) throw new JsonScanError('malformed', cursor.offset(), 'unexpected text after the object');
}
