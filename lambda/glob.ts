/**
 * Glob patterns as users write them for names (cluster include/exclude, suppression entries): `*` any run of
 * characters, `?` one character, everything else literal, matched against the whole name.
 */

/** The anchored regular expression of `glob`. */
export function globPattern(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 's');
}
