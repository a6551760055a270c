/**
 * The `--format table` report: a plain-text rendering of the summary model (summary.ts), one section per cluster. The
 * control verdict comes first (the answer to "is traffic restricted?"), then the engine, the excluded namespaces and
 * the counts, then what to fix — failures grouped by check, most severe first, each with its own remediation (said
 * once when they share one) — then the suppressed failures, counted and listed apart with their reason and expiry,
 * then what could not be decided and why. PASS findings are only counted. A pure
 * function of the findings, so it reads the same in tests and terminals.
 */
import { Status, type Finding } from '../audit/finding.js';
import { resourceLabel, summarize, type CheckFailures, type ClusterSummary } from './summary.js';

/** How to render: ANSI colour (only for a terminal that wants it) and the width to wrap prose at. */
export interface TableOptions {
  color: boolean;
  /** Columns to wrap at; the report is laid out for 100. */
  width?: number;
}

const ANSI = { bold: '1', dim: '2', red: '31', green: '32', yellow: '33' } as const;
type Style = keyof typeof ANSI;

/** The word for a suppressed failure: its status is still FAIL, but it is counted and shown apart. */
const SUPPRESSED = 'suppressed';

const STATUS_STYLE: Record<Status, Style> = { [Status.Fail]: 'red', [Status.Unknown]: 'yellow', [Status.Pass]: 'green' };

/** Renders `findings` (of one or more clusters, in the order given) as the table report, ending with a newline. */
export function renderTable(findings: readonly Finding[], options: TableOptions): string {
  if (findings.length === 0) return 'No findings.\n';
  const paint = painter(options.color);
  const width = options.width ?? 100;
  return `${summarize(findings)
    .map((summary) => clusterSection(summary, paint, width).join('\n'))
    .join('\n\n')}\n`;
}

type Paint = (style: Style, text: string) => string;

function painter(color: boolean): Paint {
  return color ? (style, text) => `\u001b[${ANSI[style]}m${text}\u001b[0m` : (_style, text) => text;
}

function clusterSection(summary: ClusterSummary, paint: Paint, width: number): string[] {
  const { cluster, control, engine } = summary;
  const where = [cluster.region, cluster.account_id && `account ${cluster.account_id}`].filter(Boolean).join(', ');
  const lines = [paint('bold', `Cluster ${printable(cluster.name)}${where ? `  (${printable(where)})` : ''}`)];
  if (control) {
    const title = control.title.includes(control.control_id) ? control.title : `${control.control_id} ${control.title}`;
    lines.push(`  ${paint('bold', `${title}:`)} ${statusWord(control.status, paint)}`);
    lines.push(...wrap(control.message, width, '    '));
  } else {
    lines.push('  No control verdict among the findings.');
  }
  // Whether anything enforces the policies is the first thing a reader asks after the verdict.
  if (engine) lines.push(...wrap(`Engine: ${engine.message}`, width, '    '));
  const excluded = control?.evidence.excluded_namespaces;
  if (Array.isArray(excluded)) {
    lines.push(...wrap(`Excluded namespaces: ${excluded.length > 0 ? excluded.join(', ') : 'none (every namespace is audited)'}`, width, '    '));
  }
  const counts = [Status.Fail, Status.Unknown, Status.Pass].map((status) => `${summary.counts[status]} ${statusWord(status, paint)}`);
  if (summary.suppressed.length > 0) counts.splice(1, 0, `${summary.suppressed.length} ${paint('dim', SUPPRESSED)}`);
  lines.push(`  Findings: ${counts.join(', ')}`);
  for (const check of summary.failures) lines.push('', ...failureGroup(check, paint, width));
  if (summary.suppressed.length > 0) lines.push('', ...suppressedGroup(summary.suppressed, paint, width));
  if (summary.unknowns.length > 0) {
    lines.push('', `  ${statusWord(Status.Unknown, paint)}  could not be decided from the input`);
    for (const finding of summary.unknowns) {
      lines.push(...wrap(`${finding.check_id}, ${resourceLabel(finding)}: ${finding.message}`, width, '    - ', '      '));
    }
  }
  if (summary.counts[Status.Pass] > 0) {
    const perCheck = summary.passes.map(({ checkId, count }) => `${checkId} ${count}`);
    lines.push('', ...wrap(`${summary.counts[Status.Pass]}: ${perCheck.join(', ')}`, width, `  ${statusWord(Status.Pass, paint)}  `, '    '));
  }
  return lines;
}

function failureGroup(check: CheckFailures, paint: Paint, width: number): string[] {
  const heading = `${check.checkId} (${check.failures.length}): ${check.title}`;
  const lines = wrap(heading, width, `  ${statusWord(Status.Fail, paint)}  ${check.severity}  `, '        ');
  for (const finding of check.failures) {
    lines.push(...wrap(`${resourceLabel(finding)}: ${finding.message}`, width, '    - ', '      '));
  }
  // One remediation for all: said once; else each failure's own, failures sharing one named together.
  const shared = check.remediations.length === 1;
  const given = check.remediations.filter(({ remediation: text }) => text.trim() !== '');
  for (const { remediation: text, failures } of given) {
    lines.push(...remediation(shared ? 'Fix' : `Fix for ${namesOf(failures)}`, text, paint, width));
  }
  // Remediations open with one sentence saying what to do and may go on with a whole manifest, which would drown
  // the table: the full text is one `--format json` away, said once per check.
  if (given.some(({ remediation: text }) => text.trim().includes('\n'))) lines.push(paint('dim', '         (the full remediation is in --format json)'));
  return lines;
}

/**
 * The suppressed failures, apart from the others: each with the check, the resource, until when and why it is
 * accepted, and the entry that says so — a reader sees what is hidden from the exit status and the alert, and for how long.
 */
function suppressedGroup(suppressed: Finding[], paint: Paint, width: number): string[] {
  const heading = `${SUPPRESSED} (${suppressed.length}): accepted by a suppression entry, they change neither the exit status nor the alert`;
  const lines = wrap(heading, width, `  ${statusWord(Status.Fail, paint)}  `, '        ');
  for (const finding of suppressed) {
    const { reason, expires, entry } = finding.suppression!;
    const text = `${finding.check_id}, ${resourceLabel(finding)}: suppressed until ${expires} by ${entry}: ${reason}`;
    lines.push(...wrap(text, width, '    - ', '      ').map((line) => paint('dim', line)));
  }
  return lines;
}

/** `Namespace a, Namespace b and 3 more`: the resources a remediation is for, kept short. */
function namesOf(failures: Finding[]): string {
  const names = failures.slice(0, 3).map(resourceLabel);
  return failures.length > 3 ? `${names.join(', ')} and ${failures.length - 3} more` : names.join(', ');
}

/** The first line of a remediation, after `label`. */
function remediation(label: string, text: string, paint: Paint, width: number): string[] {
  const [summary = ''] = text.trim().split('\n');
  return wrap(summary, width, `    ${label}: `, '         ').map((line) => paint('dim', line));
}

function statusWord(status: Status, paint: Paint): string {
  return paint(STATUS_STYLE[status], status);
}

/**
 * Word-wraps `text` to `width` columns: the first line after `firstIndent`, the others after `restIndent`. Leading
 * spaces of `text` are kept, so a YAML manifest in a remediation keeps its structure.
 */
function wrap(text: string, width: number, firstIndent: string, restIndent = firstIndent): string[] {
  const lines: string[] = [];
  let line = firstIndent + (/^ */.exec(text)?.[0] ?? '');
  let empty = true;
  for (const word of printable(text).split(/\s+/).filter(Boolean)) {
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

// C0 and C1 controls and DEL (ESC starts a terminal escape sequence), and the bidirectional overrides and isolates
// that reorder what a terminal shows; white space is left to `wrap`, which turns it into single spaces.
const UNPRINTABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * `text` (an object name, a message: what came from the cluster) with every control character escaped as `\xHH` or
 * `\uHHHH`: a name crafted with terminal escape sequences can neither recolour, move nor hide what the table shows.
 */
function printable(text: string): string {
  return text.replace(UNPRINTABLE, (character) => {
    const code = character.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Columns a line takes on screen: ANSI colour codes take none. */
function visibleLength(line: string): number {
  return line.replace(/\u001b\[\d+m/g, '').length;
}
