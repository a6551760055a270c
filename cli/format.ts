/**
 * The text the `audit` command prints for its findings, in the format `--format` asks for.
 */
import type { Finding } from '../lambda/audit/finding.js';
import { toAsff } from '../lambda/report/asff.js';
import { toOcsf } from '../lambda/report/ocsf.js';
import { renderTable } from '../lambda/report/table.js';
import { OutputFormat } from './args.js';

/**
 * `findings` as `format`: `jsonl` one finding per line, `json` a pretty array, `asff` a pretty array of ASFF findings
 * (what `aws securityhub batch-import-findings --findings file://…` reads), `ocsf` one OCSF event per line, `table`
 * the report for people (`color` only applies to it). Always ends with a newline when it prints anything. Throws
 * AsffError (asff.ts) for a cluster without an account or region.
 */
export function formatFindings(findings: Finding[], format: OutputFormat, color: boolean): string {
  switch (format) {
    case OutputFormat.Jsonl:
      return findings.map((finding) => `${JSON.stringify(finding)}\n`).join('');
    case OutputFormat.Json:
      return `${JSON.stringify(findings, null, 2)}\n`;
    case OutputFormat.Asff:
      return `${JSON.stringify(findings.map((finding) => toAsff(finding)), null, 2)}\n`;
    case OutputFormat.Ocsf:
      return findings.map((finding) => `${JSON.stringify(toOcsf(finding))}\n`).join('');
    case OutputFormat.Table:
      return renderTable(findings, { color });
  }
}
