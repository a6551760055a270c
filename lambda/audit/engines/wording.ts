/** Small helpers that turn lists and counts into the sentences and evidence engine verdicts carry. */

/** "a", "a and b", "a, b and c". */
export function listOf(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** The clause as the start of a sentence. */
export function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The items without repeats, in first-seen order. */
export function distinct<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

/**
 * One remediation from several parts: one-line parts first, joined as sentences, then multi-line parts (a manifest
 * to save and apply) on lines of their own, so that no sentence is glued onto the last line of a manifest.
 */
export function joinRemediation(parts: readonly string[]): string {
  const present = parts.filter(Boolean);
  const sentences = present.filter((part) => !part.includes('\n')).join(' ');
  return [sentences, ...present.filter((part) => part.includes('\n'))].filter(Boolean).join('\n');
}
