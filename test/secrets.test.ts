import { describe, expect, it } from '@jest/globals';
import { REDACTED, redact, redactingJsonReplacer, registerSecret } from '../lambda/secrets.js';

describe('redact', () => {
  it('masks a registered secret wherever it appears, whatever its shape', () => {
    // Prepare: a value no pattern recognises
    registerSecret('plain-words-that-are-a-secret');

    // Act
    const masked = redact('denied: plain-words-that-are-a-secret is not valid (plain-words-that-are-a-secret)');

    // Assess
    expect(masked).toBe(`denied: ${REDACTED} is not valid (${REDACTED})`);
  });

  it('masks the longer of two overlapping secrets whole', () => {
    // Prepare
    registerSecret('session-1234', 'session-1234-and-more');

    // Act
    const masked = redact('got session-1234-and-more');

    // Assess
    expect(masked).toBe(`got ${REDACTED}`);
  });

  it('ignores values too short to tell from ordinary words', () => {
    // Prepare
    registerSecret('abc', '', undefined);

    // Act
    const masked = redact('abc is not a secret');

    // Assess
    expect(masked).toBe('abc is not a secret');
  });

  it('masks credential shapes that were never registered', () => {
    // Act
    const masked = redact('Authorization: Bearer abc.def k8s-aws-v1.aHR0cHM6 X-Amz-Signature=0123abcd aws_secret_access_key = wJalr');

    // Assess
    expect(masked).toBe(`Authorization: ${REDACTED} ${REDACTED} X-Amz-Signature=${REDACTED} aws_secret_access_key = ${REDACTED}`);
  });
});

describe('redactingJsonReplacer', () => {
  it('redacts every string of a serialised object, keys left alone, other values kept', () => {
    // Prepare
    registerSecret('replacer-secret-value');

    // Act
    const json = JSON.stringify({ reason: 'echo replacer-secret-value', nested: { list: ['replacer-secret-value'], count: 2 } }, redactingJsonReplacer);

    // Assess
    expect(JSON.parse(json)).toEqual({ reason: `echo ${REDACTED}`, nested: { list: [REDACTED], count: 2 } });
  });
});
