/**
 * The ceiling on the young generation, in a fresh node process (it changes a V8 flag of the whole process): a
 * workload that keeps part of what it allocates, as reading a capture does, grows the young generation past the
 * ceiling without it and not with it.
 */
import { spawnSync } from 'node:child_process';
import { YOUNG_GENERATION_CEILING_BYTES } from '../../cli/young-generation.js';

/** The young generation's size after ~600 MiB of allocations, 1 in 4 of them kept, with turns of the event loop. */
function youngGenerationAfterWork(capped: boolean): number {
  const script = `
    import { capYoungGeneration, youngGenerationBytes } from './cli/young-generation.ts';
    if (${capped}) capYoungGeneration();
    const kept = [];
    for (let batch = 0; batch < 300; batch += 1) {
      for (let item = 0; item < 2000; item += 1) {
        const value = { name: 'pod-' + batch + '-' + item, labels: { app: 'x'.repeat(200 + (item % 7)) }, spec: new Array(40).fill(item) };
        if (item % 4 === 0) kept.push(value);
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    process.stdout.write(String(youngGenerationBytes()));`;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, NODE_OPTIONS: '' } });
  if (run.status !== 0) throw new Error(`the child failed: ${run.stderr}`);
  return Number(run.stdout);
}

test('without the ceiling the young generation outgrows it; with it, it stays at the ceiling', () => {
  // Act
  const free = youngGenerationAfterWork(false);
  const capped = youngGenerationAfterWork(true);

  // Assess
  expect(free).toBeGreaterThan(YOUNG_GENERATION_CEILING_BYTES);
  expect(capped).toBeLessThanOrEqual(YOUNG_GENERATION_CEILING_BYTES);
});
