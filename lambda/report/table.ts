/**
 * The `--format table` report: a plain-text summary a person reads in a terminal, one section per cluster. The
 * control verdict comes first (the answer to "is traffic restricted?"), then the counts, then what to fix — failures
 * grouped by check, most severe first, with the remediation once per check — then what could not be decided and why.
 * PASS findings are only counted. A pure function of the findings, so it reads the same in tests and terminals.
 */
import { CheckId, SEVERITY_ORDER, Status, type Finding, type FindingResource } from '../audit/finding.js';

/** How to render: ANSI colour (only for a terminal that wants it) and the width to wrap prose at. */
export interface TableOptions {
  color: boolean;
  /** Columns to wrap at; the report is laid out for 100. */
  width?: number;
}

const ANSI = { bold: '1', dim: '2', red: '31', green: '32', yellow: '33' } as const;
type Style = keyof typeof ANSI;

const STATUS_STYLE: Record<Status, Style> = { [Status.Fail]: 'red', [Status.Unknown]: 'yellow', [Status.Pass]: 'green' };
const CHECK_ORDER: readonly string[] = Object.values(CheckId);

/** Renders `findings` (of one or more clusters, in the order given) as the table report, ending with a newline. */
export function renderTable(findings: readonly Finding[], options: TableOptions): string {
  if (findings.length === 0) return 'No findings.\n';
  const paint = painter(options.color);
  const width = options.width ?? 100;
  return `${clusterGroups(findings)
    .map((group) => clusterSection(group, paint, width).join('\n'))
    .join('\n\n')}\n`;
}

type Paint = (style: Style, text: string) => string;

function painter(color: boolean): Paint {
  return color ? (style, text) => `\u001b[${ANSI[style]}m${text}\u001b[0m` : (_style, text) => text;
}

function clusterSection(findings: Finding[], paint: Paint, width: number): string[] {
  const cluster = findings[0]!.cluster;
  const where = [cluster.region, cluster.account_id && `account ${cluster.account_id}`].filter(Boolean).join(', ');
  const lines = [paint('bold', `Cluster ${cluster.name}${where ? `  (${where})` : ''}`)];
  const control = findings.find((finding) => finding.check_id === CheckId.Control);
  if (control) {
    const title = control.title.includes(control.control_id) ? control.title : `${control.control_id} ${control.title}`;
    lines.push(`  ${paint('bold', `${title}:`)} ${statusWord(control.status, paint)}`);
    lines.push(...wrap(control.message, width, '    '));
  } else {
    lines.push('  No control verdict among the findings.');
  }
  // Whether anything enforces the policies is the first thing a reader asks after the verdict.
  const engine = findings.find((finding) => finding.check_id === CheckId.Engine);
  if (engine) lines.push(...wrap(`Engine: ${engine.message}`, width, '    '));
  const rest = findings.filter((finding) => finding.check_id !== CheckId.Control);
  lines.push(`  Findings: ${[Status.Fail, Status.Unknown, Status.Pass].map((status) => `${count(rest, status)} ${statusWord(status, paint)}`).join(', ')}`);
  for (const group of failureGroups(rest)) lines.push('', ...failureGroup(group, paint, width));
  const unknowns = rest.filter((finding) => finding.status === Status.Unknown);
  if (unknowns.length > 0) {
    lines.push('', `  ${statusWord(Status.Unknown, paint)}  could not be decided from the input`);
    for (const finding of unknowns) {
      lines.push(...wrap(`${finding.check_id}, ${resourceName(finding.resource)}: ${finding.message}`, width, '    - ', '      '));
    }
  }
  const passes = rest.filter((finding) => finding.status === Status.Pass);
  if (passes.length > 0) {
    const perCheck = byCheck(passes).map((group) => `${group[0]!.check_id} ${group.length}`);
    lines.push('', ...wrap(`${passes.length}: ${perCheck.join(', ')}`, width, `  ${statusWord(Status.Pass, paint)}  `, '    '));
  }
  return lines;
}

function failureGroup(group: Finding[], paint: Paint, width: number): string[] {
  const first = group[0]!;
  const heading = `${first.check_id} (${group.length}): ${first.title}`;
  const lines = wrap(heading, width, `  ${statusWord(Status.Fail, paint)}  ${first.severity}  `, '        ');
  for (const finding of group) {
    lines.push(...wrap(`${resourceName(finding.resource)}: ${finding.message}`, width, '    - ', '      '));
  }
  if (first.remediation) lines.push(...remediation(first.remediation, paint, width));
  return lines;
}

/**
 * The first line of a remediation: remediations open with one sentence saying what to do, and may go on with a
 * whole manifest, which would drown the table; the full text is one `--format json` away.
 */
function remediation(text: string, paint: Paint, width: number): string[] {
  const [summary = '', ...more] = text.trim().split('\n');
  const lines = wrap(summary, width, '    Fix: ', '         ');
  if (more.length > 0) lines.push('         (the full remediation is in --format json)');
  return lines.map((line) => paint('dim', line));
}

function statusWord(status: Status, paint: Paint): string {
  return paint(STATUS_STYLE[status], status);
}

function count(findings: Finding[], status: Status): number {
  return findings.filter((finding) => finding.status === status).length;
}

function resourceName(resource: FindingResource): string {
  return `${resource.kind} ${resource.namespace ? `${resource.namespace}/` : ''}${resource.name}`;
}

/** Findings split by cluster (name and region identify one), in order of first appearance. */
function clusterGroups(findings: readonly Finding[]): Finding[][] {
  const groups = new Map<string, Finding[]>();
  for (const finding of findings) {
    const key = `${finding.cluster.region ?? ''}/${finding.cluster.name}`;
    const group = groups.get(key);
    if (group) group.push(finding);
    else groups.set(key, [finding]);
  }
  return [...groups.values()];
}

/** Findings grouped by check, in the order checks are listed. */
function byCheck(findings: Finding[]): Finding[][] {
  return CHECK_ORDER.map((check) => findings.filter((finding) => finding.check_id === check)).filter(
    (group) => group.length > 0,
  );
}

/** Failures grouped by check, most severe first, in check order within a severity. */
function failureGroups(findings: Finding[]): Finding[][] {
  const failures = byCheck(findings.filter((finding) => finding.status === Status.Fail));
  const rank = (group: Finding[]) => SEVERITY_ORDER.indexOf(group[0]!.severity);
  return failures.sort((a, b) => rank(b) - rank(a));
}

/**
 * Word-wraps `text` to `width` columns: the first line after `firstIndent`, the others after `restIndent`. Leading
 * spaces of `text` are kept, so a YAML manifest in a remediation keeps its structure.
 */
function wrap(text: string, width: number, firstIndent: string, restIndent = firstIndent): string[] {
  const lines: string[] = [];
  let line = firstIndent + (/^ */.exec(text)?.[0] ?? '');
  let empty = true;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (!empty && visibleLength(line) + 1 + word.length > width) {
      lines.push(line);
      line = restIndent;
      empty = true;
    }
    line += empty ? word : ` ${word}`;
    empty = false;
  }
  lines.push(line);
  return lines;
}

/** Columns a line takes on screen: ANSI colour codes take none. */
function visibleLength(line: string): number {
  return line.replace(/\u001b\[\d+m/g, '').length;
}
