// Shared by the identifier validators: people in Japan often type with an IME left in
// full-width mode, so ０１２ must get its own message rather than a generic "not digits".
const FULL_WIDTH_DIGIT = /[０-９]/;
const ASCII_DIGITS = /^[0-9]*$/;

/** Why `input` is not a plain run of ASCII digits, or undefined when it is. */
export function nonDigitReason(input: string, what: string): string | undefined {
  if (FULL_WIDTH_DIGIT.test(input)) {
    return `${what} "${input}" contains full-width digits: use half-width digits 0-9 (e.g. 012, not ０１２)`;
  }
  if (!ASCII_DIGITS.test(input)) {
    return `${what} "${input}" must contain only the digits 0-9, without spaces, hyphens or other characters`;
  }
  return undefined;
}
