/** A Python literal for a JSON-like value, written the same way every time (DAG files are compared byte for byte). */
export function python(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return String(value);
  // A JSON string is a valid Python string literal: same quotes, same escapes.
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(python).join(', ')}]`;
  return `{${Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${JSON.stringify(k)}: ${python(v)}`)
    .join(', ')}}`;
}
