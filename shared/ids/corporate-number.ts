import * as z from 'zod/mini';
import { nonDigitReason } from './digits';

/** 法人番号 (National Tax Agency): a check digit, then the 12-digit base number. */
export type CorporateNumberResult = { ok: true; number: string } | { ok: false; reason: string };

/** 9 − (Σ P_n·Q_n mod 9), P_n counted from the right of the base, Q_n = 1 odd / 2 even; so 1..9. */
export function corporateCheckDigit(base12: string): number {
  if (!/^[0-9]{12}$/.test(base12)) throw new RangeError(`"${base12}" is not 12 digits`);
  let sum = 0;
  for (let n = 1; n <= 12; n++) {
    const digit = base12.charCodeAt(12 - n) - 48;
    sum += digit * (n % 2 === 1 ? 1 : 2);
  }
  return 9 - (sum % 9);
}

const fail = (reason: string): CorporateNumberResult => ({ ok: false, reason });

export function validateCorporateNumber(input: string): CorporateNumberResult {
  const notDigits = nonDigitReason(input, 'corporate number');
  if (notDigits) return fail(notDigits);
  if (input.length === 12) {
    // Registered companies' 会社法人等番号 is exactly this base, so it is an easy mix-up.
    return fail(
      `corporate number "${input}" has 12 digits: the 法人番号 has 13, a check digit followed by 12 digits (the 12-digit 会社法人等番号 is not accepted)`,
    );
  }
  if (input.length !== 13) {
    return fail(`corporate number "${input}" has ${input.length} digits: a 法人番号 has 13 digits, e.g. 7123456789012`);
  }
  const expected = corporateCheckDigit(input.slice(1));
  if (input[0] !== String(expected)) {
    return fail(
      `corporate number "${input}" has a wrong check digit: expected ${expected} as the first digit, got ${input[0]}; check the number for a mistyped digit`,
    );
  }
  return { ok: true, number: input };
}

export const corporateNumber = z.pipe(
  z.string({ error: 'a corporate number must be a string of 13 digits such as "7123456789012"' }),
  z.transform((input: string, ctx) => {
    const result = validateCorporateNumber(input);
    if (!result.ok) {
      ctx.issues.push({ code: 'custom', message: result.reason, input });
      return z.NEVER;
    }
    return result.number;
  }),
);
