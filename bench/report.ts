/**
 * How the benchmarks print: aligned tables, figures in fixed units, and each target beside its figure with ✓ or ✗.
 * Only formatting lives here; every figure is measured by the caller.
 */

/** The middle value of `values` (the mean of the two middle ones for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = sorted.length >> 1;
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** `bytes` in MiB with one decimal, or in KiB below one MiB. */
export function size(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
}

/** `ms` in milliseconds, with one decimal below 100 ms. */
export function millis(ms: number): string {
  return ms < 100 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

/** A ratio as `2.31×`. */
export function times(ratio: number): string {
  return `${ratio.toFixed(2)}×`;
}

/** A table with a header row, columns padded to their widest cell, numbers right-aligned. */
export function table(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ');
  return [line(headers), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

/** A target and whether the measured figure meets it. */
export interface TargetCheck {
  /** What is compared, e.g. `audit / bare JSON.parse at 100k pods`. */
  label: string;
  /** The measured figure as printed. */
  figure: string;
  /** The target as printed, e.g. `≤ 2.50×`. */
  target: string;
  met: boolean;
}

/** `✓ label: figure (target …)`, or `✗ …` when the target is missed. */
export function targetLine(check: TargetCheck): string {
  return `${check.met ? '✓' : '✗'} ${check.label}: ${check.figure} (target ${check.target})`;
}

/** A check that `value` is at most `limit`, both printed with `format`. */
export function atMost(label: string, value: number, limit: number, format: (value: number) => string): TargetCheck {
  return { label, figure: format(value), target: `≤ ${format(limit)}`, met: value <= limit };
}
