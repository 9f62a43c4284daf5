import { describe, expect, it } from 'vitest';
import { charsetOf, decodeSpreadsheetText } from '../../shared/csv';

describe('the charset of an upload', () => {
  it('is read from the Content-Type parameter, quoted or not, in any case', () => {
    expect(charsetOf('text/csv')).toBeUndefined();
    expect(charsetOf(undefined)).toBeUndefined();
    expect(charsetOf('text/csv; charset=Shift_JIS')).toBe('shift_jis');
    expect(charsetOf('text/csv;header=present; CHARSET="UTF-8"')).toBe('utf-8');
  });

  it("takes Microsoft's names for its Shift_JIS, and half-width katakana when declared", () => {
    const hankaku = new Uint8Array([0xc3, 0xbd, 0xc4, 0x0d, 0x0a]); // ﾃｽﾄ
    expect(decodeSpreadsheetText(hankaku, 'cp932')).toEqual({ ok: true, text: 'ﾃｽﾄ\r\n', encoding: 'shift_jis' });
    expect(decodeSpreadsheetText(hankaku, 'windows-31j')).toMatchObject({ ok: true, encoding: 'shift_jis' });
    // Undeclared, the same bytes are as likely stray high bytes in an ASCII file.
    expect(decodeSpreadsheetText(hankaku)).toMatchObject({ ok: false });
  });

  it('drops a UTF-8 byte order mark and keeps a NUL in a cell for the row check', () => {
    expect(decodeSpreadsheetText(new Uint8Array([0xef, 0xbb, 0xbf, 0x61, 0x2c, 0x62]))).toEqual({ ok: true, text: 'a,b', encoding: 'utf-8' });
    expect(decodeSpreadsheetText(Buffer.from('learner_id,course_id,completed_on\na\u0000,b,c\n'))).toMatchObject({ ok: true });
  });
});
