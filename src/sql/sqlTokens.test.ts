import { describe, expect, it } from 'vitest';
import { tokenizeSql } from './sqlTokens.js';

const shape = (text: string): string[] => tokenizeSql(text).map((t) => `${t.type}:${t.text}${t.unterminated ? '!' : ''}`);

describe('tokenizeSql', () => {
  it('keeps keywords inside strings, quoted names and comments out of the words', () => {
    expect(shape("select 'it''s \\' drop', \"a\\\"b\", `x``y` -- delete\n/* a /* nested */ insert */ from t")).toEqual([
      'word:select',
      "string:'it''s \\' drop'",
      'symbol:,',
      'string:"a\\"b"',
      'symbol:,',
      'quotedName:`x``y`',
      'comment:-- delete',
      'comment:/* a /* nested */ insert */',
      'word:from',
      'word:t',
    ]);
  });

  it('reads raw strings without escapes and marks what the text ends inside of', () => {
    expect(shape("r'C:\\' || x")).toEqual(["string:r'C:\\'", 'symbol:|', 'symbol:|', 'word:x']);
    expect(shape("select 'open")).toEqual(['word:select', "string:'open!"]);
    expect(shape('select /* open /* */')).toEqual(['word:select', 'comment:/* open /* */!']);
  });
});
