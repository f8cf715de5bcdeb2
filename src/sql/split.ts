import { tokenizeSql } from './sqlTokens.js';

/**
 * Splits SQL text into statements on `;`, ignoring semicolons inside quotes ('…', "…", `…`), line
 * comments (--) and block comments. Each statement keeps its own comments; statements that are only
 * comments or blank are dropped.
 */
export function splitStatements(text: string): string[] {
  const statements: string[] = [];
  let from = 0;
  let hasCode = false;
  const cut = (to: number): void => {
    if (hasCode) statements.push(text.slice(from, to).trim());
    hasCode = false;
  };
  for (const token of tokenizeSql(text)) {
    if (token.type === 'symbol' && token.text === ';') {
      cut(token.start);
      from = token.end;
    } else if (token.type !== 'comment') hasCode = true;
  }
  cut(text.length);
  return statements;
}
