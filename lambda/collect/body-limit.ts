/**
 * The largest Kubernetes API answer one request reads, in MiB: one bound shared by the command line
 * (`--max-body-mib`), the function's configuration (`MAX_BODY_MIB`) and the stack's setting (`maxBodyMib`), so the
 * three accept the same values. A larger answer is abandoned as it streams in and its kind is UNKNOWN naming the limit.
 */

/** The limit when none is given: a 500-object page of the largest objects seen in practice fits well within it. */
export const DEFAULT_MAX_BODY_MIB = 64;

/** The accepted range: below 1 MiB a page of pods does not fit; above 1 GiB one answer alone outgrows most heaps. */
export const MAX_BODY_MIB_RANGE = { min: 1, max: 1024 } as const;

/** What a valid value looks like, for the one-line errors of each place that reads one. */
export const MAX_BODY_MIB_EXPECTED = `a whole number of MiB from ${MAX_BODY_MIB_RANGE.min} to ${MAX_BODY_MIB_RANGE.max}`;

/** The limit `text` gives, in MiB, or `undefined` when it is not {@link MAX_BODY_MIB_EXPECTED}. */
export function parseMaxBodyMib(text: string): number | undefined {
  const mib = text.trim() === '' ? Number.NaN : Number(text);
  return Number.isInteger(mib) && mib >= MAX_BODY_MIB_RANGE.min && mib <= MAX_BODY_MIB_RANGE.max ? mib : undefined;
}

/** `mib` MiB in bytes, as the HTTP layer counts a body. */
export function mebibytes(mib: number): number {
  return mib * 2 ** 20;
}
