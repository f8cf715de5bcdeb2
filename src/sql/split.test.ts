import { describe, expect, it } from 'vitest';
import { splitStatements } from './split.js';

describe('splitStatements', () => {
  it('splits on semicolons outside quotes and comments', () => {
    expect(
      splitStatements(`select 'a;b' as x; -- a comment; still comment
select "c;d", \`e;f\` /* block; comment */ from t;;
  ; select 'it''s; fine'`),
    ).toEqual([`select 'a;b' as x`, `-- a comment; still comment\nselect "c;d", \`e;f\` /* block; comment */ from t`, `select 'it''s; fine'`]);
  });

  it('drops statements that are only comments or blank', () => {
    expect(splitStatements('  ;\n-- nothing here\n;/* nor here */')).toEqual([]);
  });
});
