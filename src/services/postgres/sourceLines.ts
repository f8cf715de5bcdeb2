/**
 * Landed lines as the cells a database row can hold. A cell is text, or NULL where the line has nothing
 * (an empty unquoted CSV field, a JSON null or absent field); JSON arrays and objects stay JSON text.
 * A line no parser accepts cannot become a row: it is reported, never dropped silently.
 */
export type Cells = Map<string, string | null>;

/** One CSV record split by RFC 4180's rules; undefined when a quote is left open or stray. */
export function splitCsvLine(line: string): (string | null)[] | undefined {
  const cells: (string | null)[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let text = '';
      i++;
      for (;;) {
        const close = line.indexOf('"', i);
        if (close < 0) return undefined;
        text += line.slice(i, close);
        if (line[close + 1] === '"') {
          text += '"';
          i = close + 2;
          continue;
        }
        i = close + 1;
        break;
      }
      if (i < line.length && line[i] !== ',') return undefined;
      cells.push(text);
    } else {
      const comma = line.indexOf(',', i);
      const raw = comma < 0 ? line.slice(i) : line.slice(i, comma);
      if (raw.includes('"')) return undefined;
      cells.push(raw === '' ? null : raw);
      i = comma < 0 ? line.length : comma;
    }
    if (i >= line.length) return cells;
    i++;
  }
}

/** A CSV data line under its file's header; undefined when it does not parse or has more cells than the header. */
export function csvCells(header: string[], line: string): Cells | undefined {
  const values = splitCsvLine(line.replace(/\r$/, ''));
  if (!values || values.length > header.length) return undefined;
  return new Map(header.map((field, i) => [field, values[i] ?? null]));
}

/** A JSON line's top-level fields; undefined unless it parses to an object. */
export function jsonCells(line: string): Cells | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  return new Map(Object.entries(value as Record<string, unknown>).map(([field, v]) => [field, v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v)]));
}
