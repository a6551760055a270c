/**
 * The offline benchmark (issue 2): for each capture, measure in fresh child processes
 * a bare JSON.parse of it and the whole offline audit, alternating the two so that load from other processes on the
 * machine falls on both alike, and print medians with the targets at the largest size.
 */
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Capture } from '../captures.js';
import { benchScript, runChild } from '../child-process.js';
import { atMost, median, millis, size, table, targetLine, times, type TargetCheck } from '../report.js';
import type { AuditMeasurement, ParseMeasurement } from './measure.js';
import { topSelfTime } from './cpu-profile.js';

/** What to measure. */
export interface OfflineSettings {
  /** The captures, smallest first; the targets are judged at the last one. */
  captures: readonly Capture[];
  /** Child processes per measurement and size; the table shows medians. */
  repetitions: number;
  /** Where profiles are written. */
  workDir: string;
  /** Also profile one audit of the largest size and print where its time goes. */
  profile: boolean;
}

/** One size's medians. */
export interface OfflineRow {
  teamPods: number;
  file: string;
  fileBytes: number;
  parse: ParseMeasurement;
  audit: AuditMeasurement;
}

/** The targets of issue 2. */
// Linear evaluation with 20% slack: 10× the pods may take at most 12× the time.
const TARGETS = { auditOverParse: 2.5, rssOverFile: 4, evaluationSlack: 1.2 } as const;

const MEASURE = benchScript('offline/measure.ts');

/** Runs the offline benchmark, printing progress and results through `print`; resolves to the target checks. */
export async function runOfflineBenchmark(settings: OfflineSettings, print: (line: string) => void): Promise<TargetCheck[]> {
  const rows: OfflineRow[] = [];
  for (const { teamPods, file, bytes } of settings.captures) {
    const parses: ParseMeasurement[] = [];
    const audits: AuditMeasurement[] = [];
    for (let run = 0; run < settings.repetitions; run += 1) {
      parses.push(await runChild<ParseMeasurement>(MEASURE, ['parse', file]));
      audits.push(await runChild<AuditMeasurement>(MEASURE, ['audit', file]));
    }
    rows.push({ teamPods, file, fileBytes: bytes, parse: medians(parses), audit: medians(audits) });
  }
  print('');
  print(offlineTable(rows));
  const checks = offlineTargets(rows);
  print('');
  for (const check of checks) print(targetLine(check));
  if (settings.profile) await printProfile(settings, rows.at(-1) as OfflineRow, print);
  return checks;
}

/** The medians of each numeric field of `measurements` (counts are the same in every run). */
function medians<T extends object>(measurements: readonly T[]): T {
  const first = measurements[0] as T;
  return Object.fromEntries(
    Object.keys(first).map((key) => [key, median(measurements.map((measurement) => (measurement as Record<string, number>)[key] as number))]),
  ) as T;
}

function offlineTable(rows: readonly OfflineRow[]): string {
  return table(
    ['pods', 'file', 'JSON.parse', '(GC)', 'audit', 'audit/parse', 'load', '(GC)', 'evaluate', 'serialise', 'audit GC', 'peak RSS', 'RSS/file', 'parse RSS', 'findings'],
    rows.map(({ teamPods, fileBytes, parse, audit }) => [
      teamPods.toLocaleString('en-US'),
      size(fileBytes),
      millis(parse.parseMs),
      millis(parse.parseGcMs),
      millis(audit.totalMs),
      times(audit.totalMs / parse.parseMs),
      millis(audit.loadMs),
      millis(audit.loadGcMs),
      millis(audit.evaluateMs),
      millis(audit.serialiseMs),
      millis(audit.totalGcMs),
      size(audit.peakRss),
      times(audit.peakRss / fileBytes),
      size(parse.peakRss),
      String(audit.findings),
    ]),
  );
}

/** The three targets, judged at the largest size (evaluation growth: largest against the one before it). */
function offlineTargets(rows: readonly OfflineRow[]): TargetCheck[] {
  const largest = rows.at(-1) as OfflineRow;
  const label = `at ${largest.teamPods.toLocaleString('en-US')} pods`;
  const checks = [
    atMost(`audit / bare JSON.parse ${label}`, largest.audit.totalMs / largest.parse.parseMs, TARGETS.auditOverParse, times),
    atMost(`peak RSS / file size ${label}`, largest.audit.peakRss / largest.fileBytes, TARGETS.rssOverFile, times),
  ];
  const previous = rows.at(-2);
  if (previous) {
    const growth = largest.audit.evaluateMs / previous.audit.evaluateMs;
    const scale = largest.teamPods / previous.teamPods;
    checks.push(
      atMost(
        `evaluation time ${largest.teamPods.toLocaleString('en-US')} / ${previous.teamPods.toLocaleString('en-US')} pods (${scale}× the pods)`,
        growth,
        TARGETS.evaluationSlack * scale,
        times,
      ),
    );
  }
  return checks;
}

/** Profiles one audit of the largest capture and prints the functions with the most self time, GC included. */
async function printProfile(settings: OfflineSettings, row: OfflineRow, print: (line: string) => void): Promise<void> {
  const dir = join(settings.workDir, 'profile');
  await rm(dir, { recursive: true, force: true });
  const measured = await runChild<AuditMeasurement>(MEASURE, ['audit', row.file], { nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${dir}`] });
  const profile = await largestFile(dir);
  print('');
  print(`CPU profile of one audit of ${row.teamPods.toLocaleString('en-US')} pods (${millis(measured.totalMs)}; ${profile}), by self time:`);
  for (const entry of await topSelfTime(profile, 15)) {
    print(`  ${millis(entry.selfMs).padStart(9)}  ${(entry.share * 100).toFixed(1).padStart(5)}%  ${entry.frame}`);
  }
}

/** The main thread's profile: tsx's loader thread writes a second, nearly idle one. */
async function largestFile(dir: string): Promise<string> {
  const files = await Promise.all((await readdir(dir)).map(async (name) => ({ path: join(dir, name), bytes: (await stat(join(dir, name))).size })));
  const largest = files.sort((left, right) => right.bytes - left.bytes)[0];
  if (!largest) throw new Error(`node --cpu-prof wrote no profile in ${dir}`);
  return largest.path;
}
