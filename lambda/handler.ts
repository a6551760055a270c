// Placeholder so the stack can bundle an entry point while the live-audit handler is being written; replaced by
// the real handler (issue 3) before anything lands.
export const handler = async (): Promise<Record<string, never>> => ({});
