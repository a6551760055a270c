/**
 * One offline measurement, run in its own process by bench/offline/index.ts: `parse FILE` times a bare JSON.parse of
 * the file's text; `audit FILE` times what `npm run audit -- --kube FILE --format jsonl` does — load the file, audit
 * the snapshot, serialise the findings as JSON Lines and write them out — stage by stage. Both report the process's
 * peak RSS at the end, and the time garbage collection paused the program (V8's `gc` performance entries), since at
 * 100k pods that is a large part of both.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { devNull } from 'node:os';
import { performance, PerformanceObserver } from 'node:perf_hooks';
import { setTimeout as pause } from 'node:timers/promises';
import { OutputFormat } from '../../cli/args.js';
import { formatFindings } from '../../cli/format.js';
import { auditSnapshot, DEFAULT_EXCLUDED_NAMESPACES } from '../../lambda/audit/index.js';
import { loadOfflineSnapshot } from '../../lambda/collect/offline.js';
import { peakRssBytes, reportResult } from '../child-process.js';

/** What `parse` reports. */
export interface ParseMeasurement {
  readMs: number;
  parseMs: number;
  /** Garbage-collection pauses during the parse. */
  parseGcMs: number;
  peakRss: number;
}

/** What `audit` reports; `totalMs` is the whole audit, from reading the file to the last finding written. */
export interface AuditMeasurement {
  loadMs: number;
  evaluateMs: number;
  serialiseMs: number;
  totalMs: number;
  /** Garbage-collection pauses during loading, and during the whole audit. */
  loadGcMs: number;
  totalGcMs: number;
  findings: number;
  jsonlBytes: number;
  warnings: number;
  pods: number;
  networkPolicies: number;
  peakRss: number;
}

// V8 reports gc entries to observers from a later task; this wait lets the entries of a stage arrive before reading.
const GC_ENTRY_DELAY_MS = 100;

/** Sums the pauses of garbage collection since it was started; `read` first lets pending gc entries arrive. */
function gcPauses(): { read(): Promise<number> } {
  let total = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) total += entry.duration;
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    read: async () => {
      await pause(GC_ENTRY_DELAY_MS);
      return total;
    },
  };
}

async function measureParse(file: string): Promise<ParseMeasurement> {
  const gc = gcPauses();
  const started = performance.now();
  const text = await readFile(file, 'utf8');
  const read = performance.now();
  const before = await gc.read();
  const parseStarted = performance.now();
  const value: unknown = JSON.parse(text);
  const parsed = performance.now();
  if (value === null) throw new Error(`${file} holds null`);
  return { readMs: read - started, parseMs: parsed - parseStarted, parseGcMs: (await gc.read()) - before, peakRss: peakRssBytes() };
}

async function measureAudit(file: string): Promise<AuditMeasurement> {
  let warnings = 0;
  const observedAt = new Date();
  const options = { runId: 'bench', observedAt, excludedNamespaces: [...DEFAULT_EXCLUDED_NAMESPACES] };
  const gc = gcPauses();
  const started = performance.now();
  const snapshot = await loadOfflineSnapshot({ kube: [file], eksAddons: [] }, () => (warnings += 1));
  const loaded = performance.now();
  // Reading the gc total here takes a turn of the event loop, kept out of the stages' times.
  const loadGcMs = await gc.read();
  const evaluating = performance.now();
  const findings = auditSnapshot(snapshot, options);
  const evaluated = performance.now();
  // As the command writes it to a file or a pipe: chunk by chunk, synchronously.
  let jsonlBytes = 0;
  const sink = openSync(devNull, 'w');
  for (const chunk of formatFindings(findings, OutputFormat.Jsonl, false)) {
    jsonlBytes += Buffer.byteLength(chunk);
    writeSync(sink, chunk);
  }
  closeSync(sink);
  const written = performance.now();
  return {
    loadMs: loaded - started,
    evaluateMs: evaluated - evaluating,
    serialiseMs: written - evaluated,
    totalMs: written - evaluating + (loaded - started),
    loadGcMs,
    totalGcMs: await gc.read(),
    findings: findings.length,
    jsonlBytes,
    warnings,
    pods: snapshot.kube.pods?.length ?? 0,
    networkPolicies: snapshot.kube.networkPolicies?.length ?? 0,
    peakRss: peakRssBytes(),
  };
}

const [mode, file] = process.argv.slice(2);
if (file === undefined || (mode !== 'parse' && mode !== 'audit')) {
  process.stderr.write('usage: measure.ts parse|audit FILE\n');
  process.exitCode = 2;
} else {
  reportResult(mode === 'parse' ? await measureParse(file) : await measureAudit(file));
}
