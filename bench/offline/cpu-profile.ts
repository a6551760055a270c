/**
 * Where a measurement spends its time: reads a V8 `.cpuprofile` (written by `node --cpu-prof`) and sums the samples'
 * self time by function, so that a missed target can be explained by the functions that cost it, GC included.
 */
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Self time of one function (or of a V8 pseudo-frame such as `(garbage collector)`). */
export interface ProfileEntry {
  /** `name file:line`, the file relative to the repository. */
  frame: string;
  selfMs: number;
  share: number;
}

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  samples: number[];
  timeDeltas: number[];
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The `top` functions of the profile in `file` by self time, largest first, with their share of all samples. */
export async function topSelfTime(file: string, top: number): Promise<ProfileEntry[]> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const frames = new Map(profile.nodes.map((node) => [node.id, frameName(node.callFrame)]));
  const totals = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, index) => {
    const micros = profile.timeDeltas[index] ?? 0;
    const frame = frames.get(id) ?? '(unknown)';
    totals.set(frame, (totals.get(frame) ?? 0) + micros);
    all += micros;
  });
  return [...totals.entries()]
    .sort((left, right) => right[1] - left[1])
    .slice(0, top)
    .map(([frame, micros]) => ({ frame, selfMs: micros / 1000, share: all > 0 ? micros / all : 0 }));
}

function frameName({ functionName, url, lineNumber }: CpuProfile['nodes'][number]['callFrame']): string {
  if (!url) return functionName || '(anonymous)';
  const path = url.startsWith('file://') ? relative(ROOT, fileURLToPath(url)) : url;
  return `${functionName || '(anonymous)'} ${path}:${lineNumber + 1}`;
}
