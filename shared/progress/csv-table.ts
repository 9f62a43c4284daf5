type CsvValue = string | number | null;

/**
 * A text cell a spreadsheet would run as a formula (=, +, -, @, or a leading tab or CR)
 * gets a leading apostrophe, so it shows as the text it is (OWASP's CSV injection advice):
 * catalog names installed by admin reach these files. Numbers stay numbers, negative ones
 * included, and so does text that is only a number.
 */
export function csvText(value: CsvValue): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  return /^[=+\-@\t\r]/.test(value) && !/^[+-]?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
}

/**
 * Rows as a UTF-8 CSV table with BOM (so Excel reads the Japanese), CRLF line ends; a null
 * (a suppressed count) is an empty cell. Every CSV the API emits is written here.
 */
export function csvTable(rows: readonly (readonly CsvValue[])[]): string {
  const cell = (value: CsvValue) => {
    const text = csvText(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return `\uFEFF${rows.map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`;
}
