/**
 * Splits SQL text into statements on `;`, ignoring semicolons inside quotes ('…', "…", `…`),
 * `--` line comments and `/* … *\/` block comments. Comment-only pieces are dropped.
 */
export function splitStatements(text: string): string[] {
  const statements: string[] = [];
  let start = 0;
  let i = 0;
  let hasCode = false;
  const push = (end: number): void => {
    const piece = text.slice(start, end).trim();
    if (hasCode && piece) statements.push(piece);
    hasCode = false;
  };
  while (i < text.length) {
    const ch = text[i]!;
    const next = text[i + 1];
    if (ch === '-' && next === '-') {
      const eol = text.indexOf('\n', i);
      i = eol === -1 ? text.length : eol + 1;
    } else if (ch === '/' && next === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close === -1 ? text.length : close + 2;
    } else if (ch === "'" || ch === '"' || ch === '`') {
      hasCode = true;
      i = endOfQuoted(text, i, ch);
    } else if (ch === ';') {
      push(i);
      start = i + 1;
      i++;
    } else {
      if (!/\s/.test(ch)) hasCode = true;
      i++;
    }
  }
  push(text.length);
  return statements;
}

/** Index just past the closing quote; a doubled quote or (outside backticks) a backslash escapes. */
function endOfQuoted(text: string, open: number, quote: string): number {
  let i = open + 1;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '\\' && quote !== '`') {
      i += 2;
    } else if (ch === quote) {
      if (text[i + 1] === quote) i += 2;
      else return i + 1;
    } else {
      i++;
    }
  }
  return text.length;
}

/** The statement without its leading comments, on one line and shortened: for progress lines and run records. */
export function statementSummary(statement: string, max = 80): string {
  const code = statement
    .replace(/^(\s*(--[^\n]*\n|\/\*[\s\S]*?\*\/))*/, '')
    .replace(/\s+/g, ' ')
    .trim();
  return code.length > max ? code.slice(0, max - 1) + '…' : code;
}
