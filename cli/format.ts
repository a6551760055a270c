/**
 * The text the `audit` command prints for its findings, in the format `--format` asks for.
 */
import type { Finding } from '../lambda/audit/finding.js';
import { renderTable } from '../lambda/report/table.js';
import { OutputFormat } from './args.js';

/**
 * `findings` as `format`: `jsonl` one finding per line, `json` a pretty array, `table` the report for people
 * (`color` only applies to it). Always ends with a newline when it prints anything.
 */
export function formatFindings(findings: Finding[], format: OutputFormat, color: boolean): string {
  switch (format) {
    case OutputFormat.Jsonl:
      return findings.map((finding) => `${JSON.stringify(finding)}\n`).join('');
    case OutputFormat.Json:
      return `${JSON.stringify(findings, null, 2)}\n`;
    case OutputFormat.Table:
      return renderTable(findings, { color });
  }
}
