/**
 * Turns the text of an input file into its documents: JSON first (what `kubectl … -o json` and the AWS CLI print, and
 * the fast path for large captures), then YAML (`-o yaml`, possibly several `---` documents). Errors name the file
 * and the position, never echo the file's content: captures can hold sensitive values.
 */
import { parseAllDocuments, type Document } from 'yaml';
import { InputError } from './input-error.js';

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
    const values = documents.map((document) => document.toJS() as unknown);
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
