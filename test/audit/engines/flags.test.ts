import { describe, expect, test } from '@jest/globals';
import { booleanFlag, envValue, firstFlag } from '../../../lambda/audit/engines/flags.js';
import type { Container } from '../../../lambda/audit/snapshot.js';

const agent = (args: string[], command?: string[]): Container => ({ name: 'agent', args, command });

describe('booleanFlag', () => {
  test.each([
    ['--enable-network-policy=true', ['--enable-network-policy=true'], true],
    ['a single dash', ['-enable-network-policy=false'], false],
    ['Go spellings of true', ['--enable-network-policy=T'], true],
    ['the value as the next arg', ['--enable-network-policy', 'false'], false],
    ['a bare flag', ['--enable-network-policy'], true],
    ['a bare flag before another flag', ['--enable-network-policy', '--metrics-bind-addr=:8162'], true],
    ['the last occurrence', ['--enable-network-policy=true', '--enable-network-policy=false'], false],
    ['an unparseable value keeps the earlier', ['--enable-network-policy=true', '--enable-network-policy=maybe'], true],
    ['a flag whose name only starts the same', ['--enable-network-policy-logs=true'], undefined],
    ['no such flag', ['--metrics-bind-addr=:8162'], undefined],
  ])('%s', (_name, args, expected) => {
    // Prepare / Act / Assess
    expect(booleanFlag(agent(args), 'enable-network-policy')).toBe(expected);
  });

  test('reads flags inside a shell wrapper command', () => {
    // Prepare
    const wrapped = agent([], ['/bin/sh', '-c', 'exec /controller --enable-network-policy=true --v=2']);

    // Act / Assess
    expect(booleanFlag(wrapped, 'enable-network-policy')).toBe(true);
  });
});

describe('firstFlag and envValue', () => {
  test('take the first container that sets the flag or variable', () => {
    // Prepare
    const containers: Container[] = [
      { name: 'init' },
      { name: 'router', args: ['--run-firewall=false'], env: [{ name: 'MODE', value: 'strict' }] },
      { name: 'sidecar', args: ['--run-firewall=true'], env: [{ name: 'MODE', value: 'standard' }] },
    ];

    // Act / Assess
    expect(firstFlag(containers, 'run-firewall')).toBe(false);
    expect(envValue(containers, 'MODE')).toBe('strict');
    expect(envValue(containers, 'ABSENT')).toBeUndefined();
  });
});
