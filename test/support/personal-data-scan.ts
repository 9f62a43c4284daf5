/**
 * What must never appear in a log line: names, e-mail addresses, phone numbers, tokens.
 * The patterns are deliberately broad; the fixtures' personal data is listed too.
 */
const patterns: [string, RegExp][] = [
  ['e-mail address', /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/],
  ['phone number', /(?<![\w+-])(?:\+81[- ]?|0)\d{1,4}-\d{1,4}-\d{3,4}(?![\w-])/],
  ['bearer token', /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\./],
  ['authorization header', /Bearer\s+\S+/i],
  ['a fixture name', /山田|太郎|Taro Yamada/],
];

export function findPersonalData(line: string): string[] {
  return patterns.filter(([, pattern]) => pattern.test(line)).map(([what]) => what);
}
