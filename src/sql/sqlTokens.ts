/**
 * The one SQL lexer of lhctl, shaped after Spark's: it splits statements and feeds the write gate's
 * classifier, so a keyword inside a string, a quoted name or a comment is never read as a keyword.
 */

export type SqlTokenType =
  /** A keyword, a bare identifier or a number; `upper` is its text in capitals. */
  | 'word'
  /** `…` (a doubled backquote stands for one). */
  | 'quotedName'
  /** '…' or "…" with backslash escapes, or a raw r'…'; Spark reads "…" as a string unless ANSI asks otherwise. */
  | 'string'
  /** -- to the end of the line, or /* … *\/ (nested, as Spark allows). */
  | 'comment'
  /** Any other single character: ( ) , ; . = and the operators. */
  | 'symbol';

export interface SqlToken {
  type: SqlTokenType;
  text: string;
  upper: string;
  /** Offsets in the source text, end exclusive. */
  start: number;
  end: number;
  /** A string, quoted name or block comment the text ends inside of. */
  unterminated?: true;
}

const WORD = /[\p{L}\p{N}_]/u;

export function tokenizeSql(text: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  let i = 0;
  const push = (type: SqlTokenType, end: number, unterminated = false): void => {
    const slice = text.slice(i, end);
    tokens.push({ type, text: slice, upper: slice.toUpperCase(), start: i, end, ...(unterminated ? { unterminated: true } : {}) });
    i = end;
  };
  while (i < text.length) {
    const ch = text[i]!;
    const next = text[i + 1];
    if (/\s/.test(ch)) i++;
    else if (ch === '-' && next === '-') {
      const newline = text.indexOf('\n', i);
      push('comment', newline < 0 ? text.length : newline);
    } else if (ch === '/' && next === '*') {
      const end = blockCommentEnd(text, i);
      push('comment', end ?? text.length, end === undefined);
    } else if (ch === "'" || ch === '"') {
      const end = quotedEnd(text, i, true);
      push('string', end ?? text.length, end === undefined);
    } else if ((ch === 'r' || ch === 'R') && (next === "'" || next === '"')) {
      const end = quotedEnd(text, i + 1, false);
      push('string', end ?? text.length, end === undefined);
    } else if (ch === '`') {
      const end = quotedEnd(text, i, false);
      push('quotedName', end ?? text.length, end === undefined);
    } else if (WORD.test(ch)) {
      let j = i + 1;
      while (j < text.length && WORD.test(text[j]!)) j++;
      push('word', j);
    } else push('symbol', i + 1);
  }
  return tokens;
}

/** Just past the `*\/` that closes the comment opened at `start`, counting nested openings. */
function blockCommentEnd(text: string, start: number): number | undefined {
  let depth = 0;
  for (let j = start; j < text.length - 1; j++) {
    if (text[j] === '/' && text[j + 1] === '*') {
      depth++;
      j++;
    } else if (text[j] === '*' && text[j + 1] === '/') {
      depth--;
      j++;
      if (depth === 0) return j + 1;
    }
  }
  return undefined;
}

/** Just past the quote that closes the one at `start`; a doubled quote continues the text. */
function quotedEnd(text: string, start: number, backslashEscapes: boolean): number | undefined {
  const quote = text[start]!;
  for (let j = start + 1; j < text.length; j++) {
    if (backslashEscapes && text[j] === '\\') j++;
    else if (text[j] === quote) {
      if (text[j + 1] !== quote) return j + 1;
      j++;
    }
  }
  return undefined;
}
