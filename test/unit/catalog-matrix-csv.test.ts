import { describe, expect, it } from 'vitest';
import { bundledCatalogVersions } from '../../shared/catalog/bundled';
import { decodeCsvBytes, parseImportanceCsv, type MatrixStructure } from '../../shared/catalog/matrix-csv';

const structure: MatrixStructure = {
  roles: [
    { id: 'data-engineer', ja: 'データエンジニア' },
    { id: 'ux-ui-designer', ja: 'UX/UIデザイナー' },
  ],
  skills: [
    { id: 'machine-learning', ja: '機械学習・深層学習' },
    { id: 'branding', ja: 'ブランディング' },
    { id: 'leadership', ja: 'リーダーシップ' },
  ],
};

const expected = {
  'data-engineer': { 'machine-learning': 'c', branding: 'z', leadership: null },
  'ux-ui-designer': { 'machine-learning': 'd', branding: 'b', leadership: null },
};

const utf8 = (text: string) => new TextEncoder().encode(text);
const parse = (text: string) => parseImportanceCsv(utf8(text), structure);
const errorsOf = (text: string) => {
  const result = parse(text);
  if (result.ok) throw new Error('expected the CSV to be rejected');
  return result.errors;
};

const byRole = 'role,machine-learning,branding,leadership\ndata-engineer,c,z,-\nux-ui-designer,d,b,-\n';

describe('parseImportanceCsv: accepted layouts', () => {
  it('reads roles as rows with id headers', () => {
    expect(parse(byRole)).toEqual({ ok: true, importance: expected });
  });

  it('reads the transpose with Japanese headers, upper-case values and CRLF', () => {
    const csv = 'スキル＼ロール,データエンジニア,UX/UIデザイナー\r\n機械学習・深層学習,C,D\r\nブランディング,Z,B\r\nリーダーシップ,-,-\r\n';
    expect(parse(csv)).toEqual({ ok: true, importance: expected });
  });

  it('returns keys in catalog order whatever the file order', () => {
    const csv = 'role,leadership,branding,machine-learning\nux-ui-designer,-,b,d\ndata-engineer,-,z,c';
    const result = parse(csv);
    expect(result.ok && Object.keys(result.importance)).toEqual(['data-engineer', 'ux-ui-designer']);
    expect(result.ok && Object.keys(result.importance['data-engineer']!)).toEqual(['machine-learning', 'branding', 'leadership']);
  });

  it('matches full-width and spaced names typed in Excel', () => {
    const csv = 'role,machine-learning,branding,leadership\nデータエンジニア,ｃ,z,－\nＵＸ／ＵＩ デザイナー,d, b ,-\n';
    expect(parse(csv)).toEqual({ ok: true, importance: expected });
  });

  it('takes the business-architect roles by their published full names and by their short names', () => {
    const catalog = bundledCatalogVersions().find((c) => c.version === '1.2')!;
    const architects = catalog.promotion.roles.filter((r) => r.typeId === 'business-architect');
    expect(architects.map((r) => r.ja)).toEqual([
      'ビジネスアーキテクト（新規事業開発）',
      'ビジネスアーキテクト（既存事業の高度化）',
      'ビジネスアーキテクト（社内業務の高度化・効率化）',
    ]);
    const matrix = { roles: architects, skills: [{ id: 'branding', ja: 'ブランディング' }] };
    const full =
      'role,branding\nビジネスアーキテクト（新規事業開発）,a\nビジネスアーキテクト（既存事業の高度化）,b\nビジネスアーキテクト（社内業務の高度化・効率化）,c\n';
    const short = 'role,branding\n新規事業開発,a\n既存事業の高度化,b\n社内業務の高度化・効率化,c\n';
    const want = { 'ba-new-business': { branding: 'a' }, 'ba-existing-business': { branding: 'b' }, 'ba-internal-operations': { branding: 'c' } };
    expect(parseImportanceCsv(utf8(full), matrix)).toEqual({ ok: true, importance: want });
    expect(parseImportanceCsv(utf8(short), matrix)).toEqual({ ok: true, importance: want });
  });

  it('strips a UTF-8 byte order mark', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(byRole)]);
    expect(parseImportanceCsv(bytes, structure)).toEqual({ ok: true, importance: expected });
  });

  it('falls back to Shift_JIS for bytes that are not UTF-8', () => {
    // Shift_JIS has no TextEncoder in Node: these are the CP932 codes of the names.
    const roleLabel = [0x83, 0x8d, 0x81, 0x5b, 0x83, 0x8b]; // ロール
    const machineLearning = [0x8b, 0x40, 0x8a, 0x42, 0x8a, 0x77, 0x8f, 0x4b, 0x81, 0x45, 0x90, 0x5b, 0x91, 0x77, 0x8a, 0x77, 0x8f, 0x4b]; // 機械学習・深層学習
    const branding = [0x83, 0x75, 0x83, 0x89, 0x83, 0x93, 0x83, 0x66, 0x83, 0x42, 0x83, 0x93, 0x83, 0x4f]; // ブランディング
    const dataEngineer = [0x83, 0x66, 0x81, 0x5b, 0x83, 0x5e, 0x83, 0x47, 0x83, 0x93, 0x83, 0x57, 0x83, 0x6a, 0x83, 0x41]; // データエンジニア
    const ascii = (s: string) => [...utf8(s)];
    const bytes = new Uint8Array([
      ...roleLabel,
      ...ascii(','),
      ...machineLearning,
      ...ascii(','),
      ...branding,
      ...ascii(',leadership\r\n'),
      ...dataEngineer,
      ...ascii(',c,z,-\r\n'),
      ...ascii('ux-ui-designer,d,b,-\r\n'),
    ]);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    expect(decodeCsvBytes(bytes)).toMatchObject({ ok: true, encoding: 'shift_jis' });
    expect(parseImportanceCsv(bytes, structure)).toEqual({ ok: true, importance: expected });
  });

  it('reads RFC 4180 quoting: quoted cells, doubled quotes, commas and line breaks inside quotes', () => {
    const csv = '"Role ""id"", or\nname","machine-learning",branding,"leadership"\r\n"data-engineer","c",z,"-"\r\n ux-ui-designer ,"d","b",-';
    expect(parse(csv)).toEqual({ ok: true, importance: expected });
  });

  it('ignores blank lines and rows of empty cells', () => {
    const csv = `\n${byRole.replace('\ndata', '\n,,,\n\ndata')}\n\n`;
    expect(parse(csv)).toEqual({ ok: true, importance: expected });
  });

  it('round-trips the bundled 1.2 matrix written transposed with Japanese names', () => {
    const catalog = bundledCatalogVersions().find((c) => c.version === '1.2')!;
    const { roles, skills, importance } = catalog.promotion;
    const lines = [['スキル項目', ...roles.map((r) => r.ja)].join(',')];
    for (const s of skills) lines.push([s.ja, ...roles.map((r) => importance[r.id]![s.id] ?? '-')].join(','));
    expect(parseImportanceCsv(utf8(lines.join('\r\n')), catalog.promotion)).toEqual({ ok: true, importance });
  });
});

describe('parseImportanceCsv: errors by row and column', () => {
  it('reports an unknown role with where it is', () => {
    expect(errorsOf(`${byRole}web-designer,c,c,-\n`)).toEqual([
      {
        row: 4,
        column: 1,
        message: 'unknown role "web-designer": use a role id or Japanese name from the catalog (e.g. "data-engineer" or "データエンジニア")',
      },
    ]);
  });

  it('reports a missing role at the row where it should be added', () => {
    expect(errorsOf('role,machine-learning,branding,leadership\ndata-engineer,c,z,-\n')).toEqual([
      { row: 3, column: 1, message: 'missing role "ux-ui-designer" (UX/UIデザイナー): add a row for it' },
    ]);
  });

  it('counts CRLF as one line end and blank lines as rows', () => {
    expect(errorsOf('role,machine-learning,branding,leadership\r\n\r\ndata-engineer,c,z,-\r\n')).toEqual([
      { row: 4, column: 1, message: 'missing role "ux-ui-designer" (UX/UIデザイナー): add a row for it' },
    ]);
  });

  it('reports a missing skill column at the column where it should be added', () => {
    expect(errorsOf('role,machine-learning,leadership\ndata-engineer,c,-\nux-ui-designer,d,-\n')).toEqual([
      { row: 1, column: 4, message: 'missing skill "branding" (ブランディング): add a column for it' },
    ]);
  });

  it('reports a missing role column in the transposed layout', () => {
    expect(errorsOf('skill,data-engineer\nmachine-learning,c\nbranding,z\nleadership,-\n')).toEqual([
      { row: 1, column: 3, message: 'missing role "ux-ui-designer" (UX/UIデザイナー): add a column for it' },
    ]);
  });

  it('reports a duplicate row, naming the first one', () => {
    expect(errorsOf(`${byRole}データエンジニア,a,a,-\n`)).toEqual([
      { row: 4, column: 1, message: 'duplicate row for role "data-engineer" (first given on row 2): keep one of them' },
    ]);
  });

  it('reports a duplicate column, naming the first one', () => {
    const csv = 'role,machine-learning,branding,leadership,ブランディング\ndata-engineer,c,z,-,z\nux-ui-designer,d,b,-,b\n';
    expect(errorsOf(csv)).toEqual([{ row: 1, column: 5, message: 'duplicate column for skill "branding" (first in column 3): keep one of them' }]);
  });

  it('reports an invalid value with the allowed ones', () => {
    expect(errorsOf(byRole.replace('c,z,-', 'c,q,-'))).toEqual([
      { row: 2, column: 3, message: 'invalid value "q" for role "data-engineer" × skill "branding": expected a, b, c, d, z or - (not rated)' },
    ]);
  });

  it('reports empty cells, including those of a short row', () => {
    const csv = 'role,machine-learning,branding,leadership\ndata-engineer,c,,-\nux-ui-designer,d\n';
    expect(errorsOf(csv)).toEqual([
      { row: 2, column: 3, message: 'empty cell for role "data-engineer" × skill "branding": expected a, b, c, d, z or - (not rated)' },
      { row: 3, column: 3, message: 'empty cell for role "ux-ui-designer" × skill "branding": expected a, b, c, d, z or - (not rated)' },
      { row: 3, column: 4, message: 'empty cell for role "ux-ui-designer" × skill "leadership": expected a, b, c, d, z or - (not rated)' },
    ]);
  });

  it('counts a quoted cell with a line break as one spreadsheet row', () => {
    const csv = '"role\nid",machine-learning,branding,leadership\ndata-engineer,c,q,-\nux-ui-designer,d,b,-\n';
    expect(errorsOf(csv)).toEqual([{ row: 2, column: 3, message: expect.stringContaining('invalid value "q"') }]);
  });

  it('explains a role put where skills are expected', () => {
    const csv = 'role,machine-learning,branding,leadership,data-engineer\ndata-engineer,c,z,-\nux-ui-designer,d,b,-\n';
    expect(errorsOf(csv)).toEqual([
      { row: 1, column: 5, message: '"data-engineer" is a role, not a skill: the header row lists skills, so put roles in the first column' },
    ]);
  });

  it('reports values in a column without a header once', () => {
    const csv = 'role,machine-learning,branding,leadership\ndata-engineer,c,z,-,x\nux-ui-designer,d,b,-,y\n';
    expect(errorsOf(csv)).toEqual([{ row: 2, column: 5, message: 'column 5 has values but no header: put a skill id or name in row 1, or delete the column' }]);
  });

  it('reports an unclosed quote where it opens', () => {
    expect(errorsOf(`${byRole}"ux-ui-designer,d,b,-\n`)).toEqual(
      expect.arrayContaining([{ row: 4, column: 1, message: expect.stringContaining('never closed') }]),
    );
  });

  it('refuses a header that lists neither roles nor skills', () => {
    expect(errorsOf('x,foo,bar\n')).toEqual([{ row: 1, column: 2, message: expect.stringContaining('cannot tell the layout') }]);
  });

  it('refuses UTF-16 and undecodable bytes with advice', () => {
    expect(parseImportanceCsv(new Uint8Array([0xff, 0xfe, 0x72, 0x00]), structure)).toEqual({
      ok: false,
      errors: [{ row: 1, column: 1, message: expect.stringContaining('UTF-16') }],
    });
    expect(parseImportanceCsv(new Uint8Array([0x72, 0xfd, 0x0a]), structure)).toEqual({
      ok: false,
      errors: [{ row: 1, column: 1, message: expect.stringContaining('neither UTF-8 nor Shift_JIS') }],
    });
  });

  it('collects every error, not only the first', () => {
    const csv = 'role,machine-learning,branding,leadership\nweb-designer,c,z,-\nux-ui-designer,q,,-\n';
    expect(errorsOf(csv).map(({ row, column }) => [row, column])).toEqual([
      [2, 1],
      [3, 2],
      [3, 3],
      [4, 1],
    ]);
  });

  it('caps a flood of errors at 100 and says how many were left out', () => {
    const catalog = bundledCatalogVersions()[0]!;
    const { roles, skills } = catalog.promotion;
    const lines = [['role', ...skills.map((s) => s.id)].join(','), ...roles.map((r) => [r.id, ...skills.map(() => 'x')].join(','))];
    const result = parseImportanceCsv(utf8(lines.join('\n')), catalog.promotion);
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    expect(errors).toHaveLength(100);
    expect(errors[0]).toEqual({ row: 2, column: 2, message: expect.stringContaining('invalid value "x"') });
    expect(errors[99]!.message).toBe(`${15 * 49 - 99} more errors not shown: fix the ones above and import again`);
  });
});
