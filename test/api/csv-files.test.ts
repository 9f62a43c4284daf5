import { beforeAll, describe, expect, it } from 'vitest';
import { call } from '../support/api';
import { createLearner, learnerToken, providerToken, registerCourse, seedCatalog } from '../support/fixtures';

/**
 * Completion CSVs as providers' spreadsheets save them: Japanese Excel's "CSV (comma
 * delimited)" is Shift_JIS (CP932) with CRLF line ends, Japanese column names and dates
 * re-saved as 2025/6/1; "CSV UTF-8" has a BOM.
 */
let provider: string;
let courseId: string;

beforeAll(async () => {
  await seedCatalog();
  provider = await providerToken('prov-files');
  courseId = await registerCourse(provider);
  for (const learner of ['files-l1', 'files-l2', 'files-l3']) await createLearner(learner, {}, { linkProviders: ['prov-files'] });
});

/** Node has a Shift_JIS decoder but no encoder: the inverse of the decoder, for the characters a test uses. */
function cp932(text: string): Buffer {
  const decoder = new TextDecoder('shift_jis');
  const codes = new Map<string, number[]>();
  for (let lead = 0x81; lead <= 0xfc; lead++) {
    if (lead > 0x9f && lead < 0xe0) continue;
    for (let trail = 0x40; trail <= 0xfc; trail++) {
      const char = decoder.decode(new Uint8Array([lead, trail]));
      if (char.length === 1 && char !== '\uFFFD' && !codes.has(char)) codes.set(char, [lead, trail]);
    }
  }
  const bytes: number[] = [];
  for (const char of text) {
    if (char.charCodeAt(0) < 0x80) bytes.push(char.charCodeAt(0));
    else if (codes.has(char)) bytes.push(...codes.get(char)!);
    else throw new Error(`no CP932 code for ${char}`);
  }
  return Buffer.from(bytes);
}

const upload = (data: Buffer, contentType = 'text/csv') => call('POST', '/v1/completions/import', { token: provider, raw: { contentType, data } });

async function completionsOf(learnerId: string) {
  const res = await call('GET', `/v1/learners/${learnerId}/completions`, { token: await learnerToken(learnerId) });
  expect(res.status, res.text).toBe(200);
  return res.json.completions as { courseId: string; completedOn: string; evidence?: { certificateNumber?: string; url?: string } }[];
}

describe('a completion CSV saved by Japanese Excel', () => {
  const excelCsv = () =>
    cp932(
      [
        '学習者ID,講座ID,修了日,証明書番号,証跡URL',
        `files-l1,${courseId},2025/6/1,第①期 修了証 ＤＸ－１２,https://example.jp/cert/1`,
        `files-l2,${courseId},2025/06/02,髙橋さんの修了証,`,
        '',
      ].join('\r\n'),
    );

  it('imports a CP932 file with Japanese headers, CRLF and 2025/6/1 dates, keeping the Japanese text', async () => {
    const bytes = excelCsv();
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const res = await upload(bytes);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ rows: 2, stored: 2, rejected: [] });

    const [first] = await completionsOf('files-l1');
    expect(first).toMatchObject({
      courseId,
      completedOn: '2025-06-01',
      evidence: { certificateNumber: '第①期 修了証 ＤＸ－１２', url: 'https://example.jp/cert/1' },
    });
    const [second] = await completionsOf('files-l2');
    expect(second).toMatchObject({ completedOn: '2025-06-02', evidence: { certificateNumber: '髙橋さんの修了証' } });
  });

  it('reads the same file declared as charset=Shift_JIS, and changes nothing the second time', async () => {
    const res = await upload(excelCsv(), 'text/csv; charset=Shift_JIS');
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ rows: 2, stored: 0, unchanged: 2, rejected: [] });
  });

  it('imports "CSV UTF-8" with BOM and full-width letters in a Japanese header', async () => {
    const csv = `\uFEFF学習者ＩＤ,講座ＩＤ,修了日\r\nfiles-l3,${courseId},2025/06/03\r\nfiles-l3,${courseId},2025/2/30\r\n`;
    const res = await upload(Buffer.from(csv, 'utf8'), 'text/csv; charset="utf-8"');
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ rows: 2, stored: 1 });
    expect(res.json.rejected.map((r: { row: number }) => r.row)).toEqual([3]);
    expect((await completionsOf('files-l3')).map((c) => c.completedOn)).toEqual(['2025-06-03']);
  });
});

describe('a file in neither encoding', () => {
  const header = 'learner_id,course_id,completed_on\r\n';
  it.each([
    ['bytes valid in neither encoding', Buffer.from([...Buffer.from(header), 0x83, 0xff, 0x0d, 0x0a]), 'text/csv', 'neither UTF-8 nor Shift_JIS'],
    // 0xC0 0xAF decode as half-width katakana: not taken as Japanese unless the charset says so.
    [
      'ASCII with stray high bytes',
      Buffer.concat([Buffer.from(`${header}files-l1,crs_x,2025-06-01`), Buffer.from([0xc0, 0xaf, 0x0d, 0x0a])]),
      'text/csv',
      'neither UTF-8 nor Shift_JIS',
    ],
    ['Shift_JIS declared as UTF-8', cp932(`学習者ID,講座ID,修了日\r\n`), 'text/csv; charset=utf-8', 'not valid UTF-8'],
    ['an unsupported charset', Buffer.from(header), 'text/csv; charset=euc-jp', 'not supported'],
    ['a workbook', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]), 'text/csv', 'workbook (.xlsx)'],
    ['UTF-16 without a BOM', Buffer.from(header, 'utf16le'), 'text/csv', 'not text'],
  ])('refuses %s with a 422 that says why', async (_, data, contentType, says) => {
    const res = await upload(data, contentType);
    expect(res.status, res.text).toBe(422);
    expect(res.json.detail).toContain(says);
  });
});

describe('the progress CSV for a prefecture officer', () => {
  const rowsOf = (csv: string) =>
    csv
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n')
      .map((line) => line.split(','));

  it('names columns and dimensions in Japanese with ?lang=ja, the prefecture named beside its code, the figures unchanged', async () => {
    const en = await call('GET', '/v1/progress?format=csv&prefecture=31');
    const ja = await call('GET', '/v1/progress?format=csv&prefecture=31&lang=ja');
    expect(ja.status, ja.text).toBe(200);
    const [enHeader, ...enRows] = rowsOf(en.text);
    const [jaHeader, ...jaRows] = rowsOf(ja.text);
    expect(enHeader).toEqual(['dimension', 'key', 'name_ja', 'name_en', 'qualified', 'completions_verified', 'completions_self_reported']);
    expect(jaHeader).toEqual(['区分', 'コード', '名称', '英語名称', '該当者数', '修了数（確認済み）', '修了数（自己申告）']);
    expect(jaRows.find((r) => r[0] === '合計')?.slice(1, 4)).toEqual(['31', '鳥取県', 'Tottori']);
    expect(enRows.find((r) => r[0] === 'total')?.slice(1, 4)).toEqual(['31', '鳥取県', 'Tottori']);
    // Public figures are suppressed below 10: a note row says what the X of a suppressed count means.
    expect(jaRows.find((r) => r[0] === '注記')?.slice(1, 3)).toEqual(['suppressed', expect.stringContaining('X：秘匿')]);
    expect(enRows.find((r) => r[0] === 'note')?.[1]).toBe('suppressed');
    // Codes and figures are the same in both: only the words differ.
    expect(jaRows.map((r) => r.slice(1))).toEqual(enRows.map((r) => r.slice(1).map((cell) => ({ provisional: '暫定', official: '確定' })[cell] ?? cell)));
  });

  it('refuses a language it does not write', async () => {
    expect((await call('GET', '/v1/progress?format=csv&lang=fr')).status).toBe(400);
  });
});
