import { describe, expect, it } from '@jest/globals';
import { clusterAllowance, withinDeadline } from '../../lambda/live/deadline.js';

describe('withinDeadline', () => {
  it('passes on the result of work finished in time', async () => {
    // Act
    const outcome = await withinDeadline(1_000, async () => 'done');

    // Assess
    expect(outcome).toEqual({ finished: true, value: 'done' });
  });

  it('gives up at the deadline, aborts the work and drops what it returns later', async () => {
    // Prepare
    let signalSeen: AbortSignal | undefined;
    let release: (value: string) => void = () => undefined;
    const work = (signal: AbortSignal) => {
      signalSeen = signal;
      return new Promise<string>((resolve) => (release = resolve));
    };

    // Act
    const outcome = await withinDeadline(20, work);
    release('too late');

    // Assess
    expect(outcome).toEqual({ finished: false });
    expect(signalSeen?.aborted).toBe(true);
  });

  it('passes on a rejection of work that fails in time', async () => {
    // Act
    const outcome = withinDeadline(1_000, async () => {
      throw new Error('boom');
    });

    // Assess
    await expect(outcome).rejects.toThrow('boom');
  });

  it('never lets work that fails after the deadline become an unhandled rejection', async () => {
    // Prepare
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', record);

    // Act
    const outcome = await withinDeadline(10, () => new Promise((_resolve, reject) => setTimeout(() => reject(new Error('late')), 30)));
    await new Promise((resolve) => setTimeout(resolve, 60));
    process.off('unhandledRejection', record);

    // Assess
    expect(outcome).toEqual({ finished: false });
    expect(unhandled).toEqual([]);
  });

  it('does not start work when no time is left', async () => {
    // Prepare
    let started = false;

    // Act
    const outcome = await withinDeadline(0, async () => {
      started = true;
    });

    // Assess
    expect([outcome, started]).toEqual([{ finished: false }, false]);
  });
});

describe('clusterAllowance', () => {
  it("is the cluster's deadline while the run has more time than that", () => {
    expect(clusterAllowance({ clusterMs: 180_000, runEndsAt: 1_000_000 }, 0)).toEqual({ ms: 180_000, limit: '180 s, the per-cluster deadline' });
    expect(clusterAllowance({ clusterMs: 180_000 }, 0)).toEqual({ ms: 180_000, limit: '180 s, the per-cluster deadline' });
  });

  it('is what is left of the run when that is less, and nothing once the run is over', () => {
    expect(clusterAllowance({ clusterMs: 180_000, runEndsAt: 12_340 }, 0)).toEqual({ ms: 12_340, limit: '12.3 s, the time left to the run' });
    expect(clusterAllowance({ clusterMs: 180_000, runEndsAt: 5 }, 10)).toEqual({ ms: 0, limit: '0 s, the time left to the run' });
  });
});
