/**
 * Reading node-agent command lines and environment: the agents are Go programs, so their boolean flags follow Go's
 * flag package (`--flag`, `--flag=false`, `-flag false`; the last occurrence wins) and Go's strconv.ParseBool.
 */
import type { Container } from '../snapshot.js';

/** Boolean flag `--name` in a container's command and args, read as Go's flag parsers read it (the last one wins). */
export function booleanFlag(container: Container, name: string): boolean | undefined {
  // Words are split on blanks too, so a shell wrapper (`sh -c "agent --flag=true"`) is read like separate args.
  const words = [...(container.command ?? []), ...(container.args ?? [])]
    .flatMap((arg) => arg.split(/\s+/))
    .filter(Boolean);
  let value: boolean | undefined;
  words.forEach((word, index) => {
    const match = /^--?([^=]+)(?:=(.*))?$/.exec(word);
    if (!match || match[1] !== name) return;
    if (match[2] !== undefined) {
      value = goBool(match[2]) ?? value;
      return;
    }
    // `--flag false` split across two args; a bare `--flag` means true.
    value = goBool(words[index + 1] ?? '') ?? true;
  });
  return value;
}

/** The first container of `containers` with flag `--name` set, and its value; `undefined` when none sets it. */
export function firstFlag(containers: readonly Container[], name: string): boolean | undefined {
  return containers.map((container) => booleanFlag(container, name)).find((value) => value !== undefined);
}

/** The literal value of environment variable `name` in the first of `containers` that sets one. */
export function envValue(containers: readonly Container[], name: string): string | undefined {
  return containers.flatMap((container) => container.env ?? []).find((variable) => variable.name === name)?.value;
}

/** Go's strconv.ParseBool. */
function goBool(text: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  return undefined;
}
