import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  PREFECTURES,
  PREFECTURE_CODES,
  TOKYO_AREA,
  corporateCheckDigit,
  corporateNumber,
  isInTokyoArea,
  isPrefectureCode,
  localGovernmentCheckDigit,
  localGovernmentCode,
  municipalityCode,
  normalizeLocalGovernmentCode,
  prefectureCode,
  prefectureName,
  validateCorporateNumber,
} from '../../shared/ids';

const issueMessages = (result: { error?: { issues: { message: string }[] } | undefined }) => result.error?.issues.map((issue) => issue.message);

describe('prefectures', () => {
  it('lists the 47 prefectures in JIS order 01..47', () => {
    expect(PREFECTURE_CODES).toHaveLength(47);
    expect(PREFECTURE_CODES).toEqual(Array.from({ length: 47 }, (_, i) => String(i + 1).padStart(2, '0')));
  });

  it('uses the full official names: 1 都, 1 道, 2 府, 43 県', () => {
    expect(prefectureName('01')).toBe('北海道');
    expect(prefectureName('13')).toBe('東京都');
    expect(prefectureName('26')).toBe('京都府');
    expect(prefectureName('27')).toBe('大阪府');
    expect(prefectureName('14')).toBe('神奈川県');
    expect(prefectureName('47')).toBe('沖縄県');
    const suffixes = PREFECTURES.map((p) => p.ja.slice(-1));
    expect(suffixes.filter((s) => s === '県')).toHaveLength(43);
    expect(PREFECTURES.filter((p) => !p.ja.endsWith('県')).map((p) => p.code)).toEqual(['01', '13', '26', '27']);
  });

  it('gives English names', () => {
    expect(prefectureName('01', 'en')).toBe('Hokkaido');
    expect(prefectureName('28', 'en')).toBe('Hyogo');
    expect(prefectureName('47', 'en')).toBe('Okinawa');
  });

  it('recognises codes only as two-digit strings 01..47', () => {
    expect(isPrefectureCode('01')).toBe(true);
    expect(isPrefectureCode('47')).toBe(true);
    for (const bad of ['00', '48', '99', '1', '001', '０１', ' 01', 1, null]) expect(isPrefectureCode(bad)).toBe(false);
  });

  it('defines the Tokyo area as Saitama, Chiba, Tokyo, Kanagawa', () => {
    expect(TOKYO_AREA).toEqual(['11', '12', '13', '14']);
    expect(isInTokyoArea('13')).toBe(true);
    expect(isInTokyoArea('10')).toBe(false);
    expect(isInTokyoArea('15')).toBe(false);
  });

  it('schema accepts 01..47 and explains anything else', () => {
    expect(prefectureCode.parse('13')).toBe('13');
    expect(issueMessages(prefectureCode.safeParse('48'))).toEqual(['"48" is not a prefecture code: use two digits 01 (Hokkaido) to 47 (Okinawa)']);
    expect(issueMessages(prefectureCode.safeParse('1'))).toEqual(['"1" is not a prefecture code: use two digits 01 (Hokkaido) to 47 (Okinawa)']);
    expect(prefectureCode.safeParse(13).success).toBe(false);
  });
});

describe('local government code (全国地方公共団体コード)', () => {
  const worked = [
    { name: '札幌市', six: '011002', prefecture: '01', municipality: '100', kind: 'municipality' },
    { name: '千代田区', six: '131016', prefecture: '13', municipality: '101', kind: 'municipality' },
    { name: '堺市', six: '271403', prefecture: '27', municipality: '140', kind: 'municipality' },
    { name: '相模原市', six: '141500', prefecture: '14', municipality: '150', kind: 'municipality' },
    { name: '東京都', six: '130001', prefecture: '13', municipality: '000', kind: 'prefecture' },
    { name: '沖縄県', six: '470007', prefecture: '47', municipality: '000', kind: 'prefecture' },
  ] as const;

  for (const example of worked) {
    it(`${example.name}: ${example.six} and its 5-digit form normalise to the same code`, () => {
      const expected = {
        ok: true,
        code: example.six,
        prefecture: example.prefecture,
        municipality: example.municipality,
        kind: example.kind,
      };
      expect(normalizeLocalGovernmentCode(example.six)).toEqual(expected);
      expect(normalizeLocalGovernmentCode(example.six.slice(0, 5))).toEqual(expected);
      expect(localGovernmentCheckDigit(example.six.slice(0, 5))).toBe(Number(example.six[5]));
    });
  }

  it('names the expected check digit when it is wrong', () => {
    expect(normalizeLocalGovernmentCode('131017')).toEqual({
      ok: false,
      reason: 'local government code "131017" has a wrong check digit: expected 6 after 13101, got 7; check the code for a mistyped digit',
    });
    for (const wrong of ['011000', '271409', '141501', '130000', '470001']) {
      const result = normalizeLocalGovernmentCode(wrong);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toContain('wrong check digit: expected');
    }
  });

  it('accepts exactly one of the ten possible check digits for any valid 5-digit code', () => {
    const fiveDigitCode = fc
      .tuple(fc.constantFrom(...PREFECTURE_CODES), fc.integer({ min: 0, max: 999 }))
      .map(([prefecture, municipality]) => `${prefecture}${String(municipality).padStart(3, '0')}`);
    fc.assert(
      fc.property(fiveDigitCode, (five) => {
        const accepted = '0123456789'.split('').filter((digit) => normalizeLocalGovernmentCode(five + digit).ok);
        const normalised = normalizeLocalGovernmentCode(five);
        expect(accepted).toHaveLength(1);
        expect(normalised.ok && normalised.code).toBe(five + accepted[0]);
      }),
      { numRuns: 500 },
    );
  });

  it('rejects unknown prefectures 00, 48 and 99 in either form, even with a valid check digit', () => {
    for (const prefecture of ['00', '48', '99']) {
      const five = `${prefecture}201`;
      for (const input of [five, five + localGovernmentCheckDigit(five)]) {
        expect(normalizeLocalGovernmentCode(input)).toEqual({
          ok: false,
          reason: `local government code "${input}" starts with unknown prefecture "${prefecture}": the first two digits must be 01 (Hokkaido) to 47 (Okinawa)`,
        });
      }
    }
  });

  it('rejects full-width digits with a hint to use half-width ones', () => {
    for (const input of ['１３１０１６', '13101６', '０１２']) {
      const result = normalizeLocalGovernmentCode(input);
      expect(result).toEqual({
        ok: false,
        reason: `local government code "${input}" contains full-width digits: use half-width digits 0-9 (e.g. 012, not ０１２)`,
      });
    }
  });

  it('rejects other characters and wrong lengths precisely', () => {
    for (const input of ['13101-6', ' 131016', '13101a', '131016\n']) {
      const result = normalizeLocalGovernmentCode(input);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toContain('must contain only the digits 0-9');
    }
    expect(normalizeLocalGovernmentCode('1310')).toEqual({
      ok: false,
      reason: 'local government code "1310" has 4 digits: use 6 digits (e.g. 131016) or 5 without the check digit (e.g. 13101)',
    });
    const tooLong = normalizeLocalGovernmentCode('1310160');
    expect(tooLong.ok === false && tooLong.reason).toContain('has 7 digits');
    const empty = normalizeLocalGovernmentCode('');
    expect(empty.ok === false && empty.reason).toContain('has 0 digits');
  });

  it('schema localGovernmentCode outputs the 6-digit form and accepts prefectures', () => {
    expect(localGovernmentCode.parse('13101')).toBe('131016');
    expect(localGovernmentCode.parse('011002')).toBe('011002');
    expect(localGovernmentCode.parse('13000')).toBe('130001');
    expect(issueMessages(localGovernmentCode.safeParse('131017'))).toEqual([
      'local government code "131017" has a wrong check digit: expected 6 after 13101, got 7; check the code for a mistyped digit',
    ]);
    expect(issueMessages(localGovernmentCode.safeParse(11002))).toEqual([
      'a local government code must be a string such as "011002": as a number the leading 0 of prefectures 01-09 is lost',
    ]);
  });

  it('schema municipalityCode refuses the prefecture itself', () => {
    expect(municipalityCode.parse('14150')).toBe('141500');
    expect(municipalityCode.parse('271403')).toBe('271403');
    expect(issueMessages(municipalityCode.safeParse('130001'))).toEqual([
      'local government code "130001" is the prefecture itself (municipality 000), not a municipality: give the city, ward, town or village, e.g. 131016 for 千代田区',
    ]);
    expect(municipalityCode.safeParse('47000').success).toBe(false);
    expect(municipalityCode.safeParse('48201').success).toBe(false);
  });
});

describe('corporate number (法人番号)', () => {
  it('computes the worked examples', () => {
    expect(corporateCheckDigit('123456789012')).toBe(7);
    expect(corporateCheckDigit('120901007402')).toBe(2);
    expect(validateCorporateNumber('7123456789012')).toEqual({ ok: true, number: '7123456789012' });
    expect(validateCorporateNumber('2120901007402')).toEqual({ ok: true, number: '2120901007402' });
  });

  it('names the expected check digit when it is wrong', () => {
    expect(validateCorporateNumber('8123456789012')).toEqual({
      ok: false,
      reason: 'corporate number "8123456789012" has a wrong check digit: expected 7 as the first digit, got 8; check the number for a mistyped digit',
    });
    // A transposed pair in the base changes the weighting and is caught.
    expect(validateCorporateNumber('7213456789012').ok).toBe(false);
  });

  it('for any 12-digit base accepts exactly one leading digit, always 1..9 and never 0', () => {
    const base = fc.string({ unit: fc.constantFrom(...'0123456789'.split('')), minLength: 12, maxLength: 12 });
    fc.assert(
      fc.property(base, (digits) => {
        const accepted = '0123456789'.split('').filter((lead) => validateCorporateNumber(lead + digits).ok);
        expect(accepted).toHaveLength(1);
        expect(accepted[0]).not.toBe('0');
        expect(accepted[0]).toBe(String(corporateCheckDigit(digits)));
      }),
      { numRuns: 500 },
    );
  });

  it('rejects full-width digits, other characters and wrong lengths', () => {
    expect(validateCorporateNumber('７１２３４５６７８９０１２')).toEqual({
      ok: false,
      reason: 'corporate number "７１２３４５６７８９０１２" contains full-width digits: use half-width digits 0-9 (e.g. 012, not ０１２)',
    });
    const hyphenated = validateCorporateNumber('7-1234-5678-9012');
    expect(hyphenated.ok === false && hyphenated.reason).toContain('must contain only the digits 0-9');
    expect(validateCorporateNumber('123456789012')).toEqual({
      ok: false,
      reason:
        'corporate number "123456789012" has 12 digits: the 法人番号 has 13, a check digit followed by 12 digits (the 12-digit 会社法人等番号 is not accepted)',
    });
    expect(validateCorporateNumber('71234567890123')).toEqual({
      ok: false,
      reason: 'corporate number "71234567890123" has 14 digits: a 法人番号 has 13 digits, e.g. 7123456789012',
    });
  });

  it('schema passes valid numbers through and reports the reason otherwise', () => {
    expect(corporateNumber.parse('2120901007402')).toBe('2120901007402');
    expect(issueMessages(corporateNumber.safeParse('1120901007402'))).toEqual([
      'corporate number "1120901007402" has a wrong check digit: expected 2 as the first digit, got 1; check the number for a mistyped digit',
    ]);
    expect(issueMessages(corporateNumber.safeParse(7123456789012))).toEqual(['a corporate number must be a string of 13 digits such as "7123456789012"']);
  });
});
