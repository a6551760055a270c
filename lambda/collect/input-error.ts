/**
 * The words loading uses about bad input. The one error offline loading throws: an input file that cannot be used at
 * all (missing, empty, not JSON or YAML, not the expected output). Its message is one line that names the file and
 * what is wrong, so the command line can print it as is (exit status 2) and nobody ever sees a stack trace for a bad
 * file.
 */

/** An unreadable input file; `message` is `<file>: <what is wrong>` on one line. */
export class InputError extends Error {
  override readonly name = 'InputError';

  constructor(file: string, problem: string) {
    super(`${file}: ${problem}`);
  }
}

/**
 * `text` cut to `limit` characters with an ellipsis: names and keys from the input are echoed in messages, and a
 * pathological one (a megabyte long) must not flood a terminal or a log.
 */
export function clipped(text: string, limit = 80): string {
  return text.length > limit ? `${text.slice(0, limit)}…` : text;
}
