/**
 * A ceiling on V8's young generation for the command's process. Reading a capture streams it item by item: each item
 * is parsed whole, slimmed, and most of it dropped at once, while what is kept survives. V8 grows the young
 * generation each time enough survives, up to its default maximum of 2 × 64 MiB on a 64-bit machine, and the pages
 * it grew into stay part of the process's memory. Measured on the 50,000-pod capture as kubectl prints it (661 MiB):
 * peak RSS 392–406 MiB by default, 281–302 MiB with the young generation held at 16–32 MiB, at the same CPU time;
 * docs/benchmarks.md has the figures. `--max-semi-space-size` is a startup flag, and the installed command is started
 * by a `#!/usr/bin/env node` line that cannot portably pass one, so the ceiling is set from inside: once the young
 * generation has grown to the ceiling, its growth factor (read by V8 at every growth) becomes 1.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/** Young generation size (both semi-spaces) past which it stops growing: beyond it, the CPU time no longer falls. */
export const YOUNG_GENERATION_CEILING_BYTES = 32 * 2 ** 20;

/** The young generation's current size (V8's `new_space`). */
export function youngGenerationBytes(): number {
  return getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0;
}

/**
 * Stops the young generation's growth once it reaches `ceiling` bytes, checked after each garbage collection (when
 * V8 grows it). Call once, at start; the observer keeps no event loop alive.
 */
export function capYoungGeneration(ceiling: number = YOUNG_GENERATION_CEILING_BYTES): void {
  if (youngGenerationBytes() >= ceiling) {
    setFlagsFromString('--semi-space-growth-factor=1');
    return;
  }
  const observer = new PerformanceObserver(() => {
    if (youngGenerationBytes() < ceiling) return;
    setFlagsFromString('--semi-space-growth-factor=1');
    observer.disconnect();
  });
  observer.observe({ entryTypes: ['gc'] });
}
