import * as z from 'zod/mini';
import { nonDigitReason } from './digits';
import { isPrefectureCode, type PrefectureCode } from './prefecture';

/**
 * 全国地方公共団体コード: prefecture (2) + municipality (3, JIS X 0402) + check digit.
 * Municipality "000" is the prefecture government itself (東京都 = 130001).
 */
export type LocalGovernmentKind = 'prefecture' | 'municipality';

export type LocalGovernmentCode = {
  ok: true;
  /** Always the 6-digit form, whichever form came in, so stored codes compare equal. */
  code: string;
  prefecture: PrefectureCode;
  municipality: string;
  kind: LocalGovernmentKind;
};

export type LocalGovernmentCodeResult = LocalGovernmentCode | { ok: false; reason: string };

const WEIGHTS = [6, 5, 4, 3, 2] as const;

/** Check digit for the 5-digit form: (11 − S mod 11) mod 10 with S = Σ weight·digit. */
export function localGovernmentCheckDigit(fiveDigits: string): number {
  if (!/^[0-9]{5}$/.test(fiveDigits)) throw new RangeError(`"${fiveDigits}" is not 5 digits`);
  const sum = WEIGHTS.reduce((total, weight, i) => total + weight * (fiveDigits.charCodeAt(i) - 48), 0);
  return (11 - (sum % 11)) % 10;
}

const fail = (reason: string): LocalGovernmentCodeResult => ({ ok: false, reason });

/** Accepts the 6-digit form (check digit verified) or the 5-digit form (check digit added). */
export function normalizeLocalGovernmentCode(input: string): LocalGovernmentCodeResult {
  const notDigits = nonDigitReason(input, 'local government code');
  if (notDigits) return fail(notDigits);
  if (input.length !== 5 && input.length !== 6) {
    return fail(`local government code "${input}" has ${input.length} digits: use 6 digits (e.g. 131016) or 5 without the check digit (e.g. 13101)`);
  }
  const prefecture = input.slice(0, 2);
  if (!isPrefectureCode(prefecture)) {
    return fail(`local government code "${input}" starts with unknown prefecture "${prefecture}": the first two digits must be 01 (Hokkaido) to 47 (Okinawa)`);
  }
  const base = input.slice(0, 5);
  const expected = localGovernmentCheckDigit(base);
  const given = input.slice(5);
  if (given !== '' && given !== String(expected)) {
    // Do not suggest base+expected as "the" fix: the typo may be in any digit.
    return fail(
      `local government code "${input}" has a wrong check digit: expected ${expected} after ${base}, got ${given}; check the code for a mistyped digit`,
    );
  }
  const municipality = input.slice(2, 5);
  return {
    ok: true,
    code: `${base}${expected}`,
    prefecture,
    municipality,
    kind: municipality === '000' ? 'prefecture' : 'municipality',
  };
}

// JSON clients sending a number lose the leading zero of prefectures 01-09 (011002 → 11002).
const codeString = z.string({
  error: 'a local government code must be a string such as "011002": as a number the leading 0 of prefectures 01-09 is lost',
});

function normalizedCode(acceptPrefecture: boolean) {
  return z.pipe(
    codeString,
    z.transform((input: string, ctx) => {
      const result = normalizeLocalGovernmentCode(input);
      if (!result.ok) {
        ctx.issues.push({ code: 'custom', message: result.reason, input });
        return z.NEVER;
      }
      if (!acceptPrefecture && result.kind === 'prefecture') {
        ctx.issues.push({
          code: 'custom',
          message: `local government code "${input}" is the prefecture itself (municipality 000), not a municipality: give the city, ward, town or village, e.g. 131016 for 千代田区`,
          input,
        });
        return z.NEVER;
      }
      return result.code;
    }),
  );
}

/** Any local government, prefectures included; outputs the 6-digit form. */
export const localGovernmentCode = normalizedCode(true);

/** A workplace or residence: must be a city, ward, town or village, never a prefecture. */
export const municipalityCode = normalizedCode(false);
