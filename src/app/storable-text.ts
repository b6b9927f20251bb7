// A lone UTF-16 surrogate cannot be encoded as UTF-8, so PostgreSQL refuses it (and SQLite would store garbage).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a piece of text cannot be stored as sent, or null when it can. */
export function unstorableTextProblem(text: string): string | null {
  if (text.includes('\u0000')) return 'text must not contain the NUL character (U+0000)';
  if (LONE_SURROGATE.test(text)) return 'text must be valid Unicode (it holds a lone surrogate)';
  return null;
}

/** The first problem in any string or key of a parsed JSON value (a lead read from a file). */
export function unstorableValueProblem(value: unknown): string | null {
  if (typeof value === 'string') return unstorableTextProblem(value);
  if (value === null || typeof value !== 'object') return null;
  for (const [key, child] of Object.entries(value)) {
    const problem = unstorableTextProblem(key) ?? unstorableValueProblem(child);
    if (problem) return problem;
  }
  return null;
}
