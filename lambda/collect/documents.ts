/**
 * Turns the bytes of an input into its documents and objects: a JSON object (what `kubectl … -o json` and the AWS CLI
 * print) is streamed item by item, so a capture of any size is read; anything else is read whole, as JSON, then YAML
 * (`-o yaml`, possibly several `---` documents). Errors name the input and the position, never echo its content:
 * captures can hold sensitive values.
 */
import { constants } from 'node:buffer';
import { parseAllDocuments, type Document } from 'yaml';
import { InputError } from './input-error.js';
import { JsonScanError, scanJsonObject } from './json-scanner.js';

const JSON_START = /^\s*[[{]/;
const JSON_POSITION = / in JSON at position (\d+)/;
const YAML_POSITION = / at line \d+, column \d+:?$/;

/**
 * The documents of `text` (the content of `file`), each a plain JavaScript value; empty YAML documents are left out.
 * Throws {@link InputError} when the file is empty, truncated JSON, or neither JSON nor YAML.
 */
export function parseDocuments(file: string, text: string): unknown[] {
  const content = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (content.trim() === '') throw new InputError(file, 'empty file');
  let jsonError: Error;
  try {
    return [JSON.parse(content)];
  } catch (error) {
    jsonError = error as Error;
  }
  const looksLikeJson = JSON_START.test(content);
  if (looksLikeJson && isTruncation(jsonError, content)) throw new InputError(file, 'truncated JSON');
  // YAML is nearly a superset of JSON: flow-style YAML (`{kind: Pod}`) fails JSON.parse but is valid input.
  const documents: Document[] = parseAllDocuments(content);
  const yamlError = documents.flatMap((document) => document.errors)[0];
  if (!yamlError) {
    const values = documents.map((document) => yamlValue(file, document));
    const present = values.filter((value) => value !== null && value !== undefined);
    if (present.length === 0) throw new InputError(file, 'empty file (no YAML or JSON document)');
    return present;
  }
  if (looksLikeJson) {
    const jsonPlace = jsonErrorPlace(jsonError, content);
    if (jsonPlace) throw new InputError(file, `not JSON or YAML (${jsonPlace})`);
  }
  const where = yamlError.linePos?.[0];
  const reason = (yamlError.message.split('\n')[0] ?? '').replace(YAML_POSITION, '');
  const place = where ? `line ${where.line}, column ${where.col}: ${reason}` : reason;
  throw new InputError(file, `not JSON or YAML (${place})`);
}

/**
 * A YAML document as a plain value. Aliases are expanded at most a few times over (yaml's own bound): a "billion
 * laughs" file, whose nested aliases would expand to gigabytes, is refused by name instead of exhausting memory.
 */
function yamlValue(file: string, document: Document): unknown {
  try {
    return document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (error instanceof ReferenceError && /alias/i.test(error.message)) {
      throw new InputError(file, `YAML aliases expand too far (more than ${MAX_ALIAS_COUNT} uses of an alias): refused as a resource-exhaustion risk; kubectl never writes aliases, so capture again with kubectl get -o json`);
    }
    throw error;
  }
}

const MAX_ALIAS_COUNT = 100;

/**
 * The name of the UTF-16 encoding `head` (the first bytes of an input) is in, from its byte-order mark or, without
 * one, from the NUL byte beside the first ASCII character; `undefined` for anything else. PowerShell's `>` writes
 * UTF-16, which read as UTF-8 would only say "not JSON".
 */
export function utf16Encoding(head: Buffer): string | undefined {
  const [first, second] = [head[0], head[1]];
  if (first === 0xff && second === 0xfe) return 'UTF-16LE';
  if (first === 0xfe && second === 0xff) return 'UTF-16BE';
  if (first === undefined || second === undefined) return undefined;
  if (first !== 0 && second === 0) return 'UTF-16LE';
  if (first === 0 && second !== 0) return 'UTF-16BE';
  return undefined;
}

/** The one-line problem of a UTF-16 input, and the way to UTF-8. */
export function utf16Problem(encoding: string): string {
  return `is ${encoding} text, not UTF-8 (PowerShell's > writes UTF-16): convert it with iconv -f ${encoding} -t UTF-8, or capture with kubectl … | Out-File -Encoding utf8`;
}

/** JSON.parse ran out of text: the file was cut short (an interrupted capture or copy), not malformed in the middle. */
function isTruncation(error: Error, content: string): boolean {
  if (error.message.startsWith('Unexpected end of JSON input')) return true;
  const position = JSON_POSITION.exec(error.message);
  return position !== null && Number(position[1]) >= content.trimEnd().length;
}

/** `line L, column C: reason` from a JSON.parse error that gives a position (V8's other messages quote the text). */
function jsonErrorPlace(error: Error, content: string): string | undefined {
  const position = JSON_POSITION.exec(error.message);
  if (!position) return undefined;
  const offset = Number(position[1]);
  const before = content.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${column}: ${error.message.slice(0, position.index)}`;
}

/** What a streamed list says about itself (`kind`, `apiVersion`), as far as it has been read. */
export interface ListHeader {
  kind?: unknown;
  apiVersion?: unknown;
}

/**
 * One piece of an input, in input order: a whole document (`location` `''` for a file's only one, `documents[i]` in
 * a multi-document file), or, for a streamed JSON object with `items`, each item as it is read and then the list's
 * end with its header (so that an empty typed list still counts as read).
 */
export type InputPart =
  | { type: 'document'; location: string; value: unknown }
  | { type: 'item'; index: number; value: unknown; list: ListHeader }
  | { type: 'list'; list: ListHeader };

/** Where an input's bytes come from: a file (which can be read again to explain an error) or a stream (stdin). */
export interface InputSource {
  /** The name errors and warnings use: the path, or `stdin`. */
  label: string;
  /** The bytes, in chunks. */
  chunks(): AsyncIterable<Buffer>;
  /** A file's size, known before reading; `undefined` for a stream. */
  size?: number;
  /** A file's whole text, read again (only asked for when the size fits a string). */
  reread?: () => Promise<string>;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * The parts of the input `source`. JSON objects are streamed (their `items` one by one, so that no size limit
 * applies); anything else — YAML, a top-level array — is read whole and parsed by {@link parseDocuments}. Throws
 * {@link InputError} with the same one-line messages as {@link parseDocuments}: a file is read again to explain a
 * streaming error exactly; a stream's error names the byte offset.
 */
export async function* inputParts(source: InputSource): AsyncGenerator<InputPart> {
  const chunks = source.chunks()[Symbol.asyncIterator]();
  const head = await firstBytes(chunks);
  const encoding = utf16Encoding(Buffer.concat(head.bytes));
  if (encoding !== undefined) throw new InputError(source.label, utf16Problem(encoding));
  const rest = prepended(head.bytes, chunks);
  if (head.firstByte !== 0x7b) {
    yield* wholeDocumentParts(parseDocuments(source.label, await wholeText(source, rest)));
    return;
  }
  const rereadable = source.reread !== undefined && (source.size ?? Infinity) <= constants.MAX_STRING_LENGTH;
  let yielded = false;
  try {
    for await (const part of streamedListParts(rest)) {
      yielded = true;
      yield part;
    }
  } catch (error) {
    if (!(error instanceof JsonScanError)) throw error;
    // A file is parsed whole to explain the error as parseDocuments does; flow-style YAML starting with `{` is read.
    const documents = rereadable ? parseDocuments(source.label, await source.reread!()) : undefined;
    if (documents && !yielded) {
      yield* wholeDocumentParts(documents);
      return;
    }
    throw new InputError(
      source.label,
      error.reason === 'truncated' ? 'truncated JSON' : `not JSON (at byte ${error.offset}: ${error.message})`,
    );
  }
}

/** The parts of documents parsed whole, slimmed as streamed items are. */
function* wholeDocumentParts(documents: unknown[]): Generator<InputPart> {
  for (const [index, value] of documents.entries()) {
    yield { type: 'document', location: documents.length === 1 ? '' : `documents[${index}]`, value: slimmed(value) };
  }
}

/**
 * The parts of one streamed JSON object. Its items are passed on as they are read; an item without a kind waits for
 * the list's kind when that comes after `items` (kubectl prints members in alphabetical order, the API kind first).
 */
async function* streamedListParts(chunks: AsyncIterable<Buffer>): AsyncGenerator<InputPart> {
  const members: Record<string, unknown> = {};
  const waiting: Array<{ index: number; value: unknown }> = [];
  let items = false;
  const header = (): ListHeader => ({ kind: members.kind, apiVersion: members.apiVersion });
  for await (const part of scanJsonObject(chunks)) {
    if (part.type === 'member') {
      members[part.key] = part.value;
      continue;
    }
    items = true;
    if (part.type === 'items') continue;
    const value = slimmed(part.value);
    const hasKind = typeof value === 'object' && value !== null && typeof (value as { kind?: unknown }).kind === 'string';
    if (hasKind || 'kind' in members) yield { type: 'item', index: part.index, value, list: header() };
    else waiting.push({ index: part.index, value });
  }
  // Items already passed on make the object a list, whatever its kind says (no Kubernetes object has `items`).
  if (!items) {
    yield { type: 'document', location: '', value: slimmed(members) };
    return;
  }
  for (const { index, value } of waiting) yield { type: 'item', index, value, list: header() };
  yield { type: 'list', list: header() };
}

/**
 * An item without what the audit never reads, as it streams in, so that the snapshot of a large capture stays small:
 * `metadata.managedFields` (server-side apply bookkeeping, about half of what kubectl prints for an object) goes from
 * every object; a Pod — most of any capture — keeps only what the checks read of it (identity, labels and owners,
 * where and how it runs, its phase), not its containers (only DaemonSets' are read), volumes or statuses; ReplicaSets, Jobs and Nodes, read for their metadata only, keep only that (a ReplicaSet's pod
 * template, a Node's image list).
 */
function slimmed(value: unknown): unknown {
  if (!isObject(value)) return value;
  // A list read whole (YAML, nested typed lists): its items, as streamed ones are.
  if (Array.isArray(value.items)) return { ...value, items: value.items.map(slimmed) };
  const slim = typeof value.kind === 'string' && typeof value.apiVersion === 'string' ? SLIM_KINDS[`${value.apiVersion} ${value.kind}`] : undefined;
  if (slim === undefined) {
    // A copy rather than `delete`, which would leave V8 a slower, larger dictionary-mode object.
    if (isObject(value.metadata) && 'managedFields' in value.metadata) {
      const { managedFields: _dropped, ...metadata } = value.metadata;
      return { ...value, metadata };
    }
    return value;
  }
  const metadata = isObject(value.metadata) ? picked(value.metadata, METADATA_FIELDS) : value.metadata;
  const kept: Record<string, unknown> = { apiVersion: value.apiVersion, kind: value.kind, metadata };
  return slim === METADATA_ONLY ? kept : slim(value, kept);
}

/** The metadata the audit reads (`resourceVersion` tells which of two copies of an object is newer). */
const METADATA_FIELDS = ['name', 'namespace', 'uid', 'resourceVersion', 'labels', 'annotations', 'ownerReferences', 'creationTimestamp'] as const;

const METADATA_ONLY = 'metadata only';

/** The kinds slimmed on reading, by `apiVersion kind`, with what they keep beyond their identity and metadata. */
const SLIM_KINDS: Record<string, typeof METADATA_ONLY | ((object: Record<string, unknown>, kept: Record<string, unknown>) => Record<string, unknown>)> = {
  'v1 Pod': (pod, kept) => {
    if (isObject(pod.spec)) kept.spec = picked(pod.spec, POD_SPEC_FIELDS);
    if (isObject(pod.status)) kept.status = picked(pod.status, ['phase']);
    return kept;
  },
  'apps/v1 ReplicaSet': METADATA_ONLY,
  'batch/v1 Job': METADATA_ONLY,
  'v1 Node': METADATA_ONLY,
};

const POD_SPEC_FIELDS = ['nodeName', 'hostNetwork', 'schedulerName', 'nodeSelector', 'os'] as const;

/** The `fields` of `object` that it has (a field of the wrong type is kept, so validation still sees it). */
function picked(object: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const field of fields) if (field in object) result[field] = object[field];
  return result;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The first chunks, up to the first byte that is not white space or a byte-order mark. */
async function firstBytes(chunks: AsyncIterator<Buffer>): Promise<{ bytes: Buffer[]; firstByte?: number }> {
  const bytes: Buffer[] = [];
  let skipped = 0;
  for (;;) {
    const next = await chunks.next();
    if (next.done) return { bytes };
    let chunk = next.value;
    if (skipped === 0 && bytes.length === 0 && chunk.subarray(0, 3).equals(BOM)) chunk = chunk.subarray(3);
    bytes.push(chunk);
    for (const byte of chunk) {
      skipped += 1;
      if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) return { bytes, firstByte: byte };
    }
  }
}

async function* prepended(head: Buffer[], rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  yield* head;
  for (;;) {
    const next = await rest.next();
    if (next.done) return;
    yield next.value;
  }
}

/** All of `chunks` as text; refused by name beyond the longest string V8 can hold. */
async function wholeText(source: InputSource, chunks: AsyncIterable<Buffer>): Promise<string> {
  // A file's size is known: refused before reading.
  if (source.size !== undefined && source.size > constants.MAX_STRING_LENGTH) throw new InputError(source.label, tooLongForText(source.size));
  const parts: Buffer[] = [];
  let length = 0;
  for await (const chunk of chunks) {
    length += chunk.length;
    if (length > constants.MAX_STRING_LENGTH) throw new InputError(source.label, tooLongForText(length, 'or more'));
    parts.push(chunk);
  }
  return Buffer.concat(parts).toString('utf8');
}

/** Why an input that is not a JSON object cannot be that long, and the way out. */
export function tooLongForText(bytes: number, atLeast: 'or more' | '' = ''): string {
  const mebibytes = (count: number) => Math.floor(count / 2 ** 20);
  return `is ${mebibytes(bytes)} MiB${atLeast ? ` ${atLeast}` : ''}, more than the ${mebibytes(constants.MAX_STRING_LENGTH)} MiB YAML input can have: capture with -o json, which streams at any size`;
}
