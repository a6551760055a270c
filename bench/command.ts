/**
 * The command as a user runs it (issue 10), whole processes of the built `dist/cli.js`, medians of alternating runs,
 * wall time measured around the process and peak RSS as GNU time reports it: `--help` and the README's example audit against a bare
 * `node -e 0`; the largest capture's audit against a bare `JSON.parse` process of the same file; and a capture as
 * kubectl prints it (4-space indentation, managedFields), whose peak RSS is judged against the file's size.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../lib/handler-bundle.js';
import { atMost, median, millis, size, table, targetLine, times, type TargetCheck } from './report.js';

/** What to measure. */
export interface CommandSettings {
  /** Runs per measurement; the figures are medians. */
  repetitions: number;
  /** The capture audited against a bare JSON.parse of it. */
  capture: { file: string; teamPods: number };
  /** A capture as kubectl prints it, audited for its memory against its size. */
  kubectlCapture?: { file: string; teamPods: number; bytes: number };
}

/** One process's figures. */
interface ProcessFigures {
  ms: number;
  rssBytes: number;
}

const TIME = '/usr/bin/time';
const CLI = join(PROJECT_ROOT, 'dist', 'cli.js');
const EXAMPLE = ['--kube', 'examples/shop-eu/cluster.json', '--eks-cluster', 'examples/shop-eu/eks-cluster.json', '--eks-addon', 'examples/shop-eu/addon-vpc-cni.json'];
const TARGETS = { helpOverNode: 3, exampleOverNode: 5, auditOverParse: 2.5, rssOverParse: 1.5, rssOverFile: 0.6 } as const;

/** Runs the command benchmark, printing through `print`; resolves to the target checks. */
export async function runCommandBenchmark(settings: CommandSettings, print: (line: string) => void): Promise<TargetCheck[]> {
  if (!existsSync(TIME) || !existsSync(CLI)) {
    print(`skipped: needs GNU time at ${TIME} and the built command (npm run build)`);
    return [];
  }
  const node = process.execPath;
  const startup = await alternating(settings.repetitions, {
    'node -e 0': [node, '-e', '0'],
    '--help': [node, CLI, '--help'],
    'README example audit': [node, CLI, 'audit', ...EXAMPLE],
  });
  const parse = `JSON.parse(require('fs').readFileSync(${JSON.stringify(settings.capture.file)}, 'utf8'))`;
  const offline = await alternating(settings.repetitions, {
    'bare JSON.parse': [node, '-e', parse],
    audit: [node, CLI, 'audit', '--kube', settings.capture.file, '--format', 'jsonl'],
  });
  const rows = [...Object.entries(startup), ...Object.entries(offline)].map(([name, figures]) => [name, millis(figures.ms), size(figures.rssBytes)]);
  const kubectl = settings.kubectlCapture;
  const kubectlAudit = kubectl ? (await alternating(1, { audit: [node, CLI, 'audit', '--kube', kubectl.file, '--format', 'jsonl'] })).audit! : undefined;
  if (kubectl && kubectlAudit) rows.push([`audit of ${kubectl.teamPods.toLocaleString('en-US')} pods as kubectl prints them (${size(kubectl.bytes)})`, millis(kubectlAudit.ms), size(kubectlAudit.rssBytes)]);
  print(table(['process', 'time', 'peak RSS'], rows));
  print('');
  const bare = startup['node -e 0']!;
  const pods = settings.capture.teamPods.toLocaleString('en-US');
  const checks = [
    atMost('--help / node -e 0', startup['--help']!.ms / bare.ms, TARGETS.helpOverNode, times),
    atMost('README example audit / node -e 0', startup['README example audit']!.ms / bare.ms, TARGETS.exampleOverNode, times),
    atMost(`audit / bare JSON.parse at ${pods} pods, time`, offline.audit!.ms / offline['bare JSON.parse']!.ms, TARGETS.auditOverParse, times),
    atMost(`audit / bare JSON.parse at ${pods} pods, peak RSS`, offline.audit!.rssBytes / offline['bare JSON.parse']!.rssBytes, TARGETS.rssOverParse, times),
    ...(kubectl && kubectlAudit ? [atMost(`peak RSS / file, ${kubectl.teamPods.toLocaleString('en-US')} pods as kubectl prints them`, kubectlAudit.rssBytes / kubectl.bytes, TARGETS.rssOverFile, times)] : []),
  ];
  for (const check of checks) print(targetLine(check));
  return checks;
}

/** Medians of `repetitions` rounds, each running every command once in turn, so machine load falls on all alike. */
async function alternating(repetitions: number, commands: Record<string, string[]>): Promise<Record<string, ProcessFigures>> {
  const samples: Record<string, ProcessFigures[]> = Object.fromEntries(Object.keys(commands).map((name) => [name, []]));
  for (let round = 0; round < repetitions; round += 1) {
    for (const [name, command] of Object.entries(commands)) samples[name]!.push(await timed(command));
  }
  return Object.fromEntries(
    Object.entries(samples).map(([name, figures]) => [name, { ms: median(figures.map((f) => f.ms)), rssBytes: median(figures.map((f) => f.rssBytes)) }]),
  );
}

/** Runs `command` in the repository root under GNU time; its output is discarded, its exit status may be non-zero. */
function timed(command: string[]): Promise<ProcessFigures> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(TIME, ['-f', '%M', ...command], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, NODE_OPTIONS: '', NO_COLOR: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', () => {
      const ms = performance.now() - started;
      const match = /(\d+)\s*$/.exec(stderr);
      if (!match) reject(new Error(`${command.join(' ')}: no peak RSS (${stderr.trim().split('\n').at(-1) ?? ''})`));
      else resolve({ ms, rssBytes: Number(match[1]) * 1024 });
    });
  });
}
