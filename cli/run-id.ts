/**
 * Run identifiers: one per invocation, shared by every finding of the run and part of every stored object's name.
 */
import { randomBytes } from 'node:crypto';

/**
 * A run id that sorts by time: the UTC second of `now` and a short random part, e.g. `20261126T172105Z-3f9a1c`, so
 * two runs in the same second still differ.
 */
export function newRunId(now: Date, random: string = randomBytes(3).toString('hex')): string {
  const stamp = now.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
  return `${stamp}-${random}`;
}
