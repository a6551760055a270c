/**
 * The text the `audit` command prints for its findings, in the format `--format` asks for.
 */
import type { Finding } from '../lambda/audit/finding.js';
import { toAsff } from '../lambda/report/asff.js';
import { toOcsf } from '../lambda/report/ocsf.js';
import { renderTable } from '../lambda/report/table.js';
import { OutputFormat } from './args.js';

/** How much of a line format is serialised before it is handed on: enough whole lines to keep writes few. */
const CHUNK_CHARACTERS = 64 * 1024;

/**
 * `findings` as `format`, in pieces to write one after the other: `jsonl` one finding per line and `ocsf` one OCSF
 * event per line, each serialised as it is written, in chunks of whole lines, so a large audit's output never exists
 * as one string; `json` a pretty array, `asff` a pretty array of ASFF findings (what
 * `aws securityhub batch-import-findings --findings file://…` reads) and `table` the report for people (`color`
 * only applies to it), each one piece. Always ends with a newline when it prints anything. Throws AsffError
 * (asff.ts) for a cluster without an account or region, before yielding anything.
 */
export function* formatFindings(findings: Finding[], format: OutputFormat, color: boolean): Generator<string> {
  switch (format) {
    case OutputFormat.Jsonl:
      yield* lineChunks(findings, (finding) => JSON.stringify(finding));
      return;
    case OutputFormat.Ocsf:
      yield* lineChunks(findings, (finding) => JSON.stringify(toOcsf(finding)));
      return;
    case OutputFormat.Json:
      yield `${JSON.stringify(findings, null, 2)}\n`;
      return;
    case OutputFormat.Asff:
      yield `${JSON.stringify(findings.map((finding) => toAsff(finding)), null, 2)}\n`;
      return;
    case OutputFormat.Table:
      yield renderTable(findings, { color });
  }
}

/** One line per finding, `line` serialising it, gathered into chunks of about {@link CHUNK_CHARACTERS}. */
function* lineChunks(findings: Finding[], line: (finding: Finding) => string): Generator<string> {
  let lines: string[] = [];
  let characters = 0;
  for (const finding of findings) {
    const text = `${line(finding)}\n`;
    lines.push(text);
    characters += text.length;
    if (characters >= CHUNK_CHARACTERS) {
      yield lines.join('');
      lines = [];
      characters = 0;
    }
  }
  if (lines.length > 0) yield lines.join('');
}
