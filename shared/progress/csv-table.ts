type CsvValue = string | number | null;

/**
 * Rows as a UTF-8 CSV table with BOM (so Excel reads the Japanese), CRLF line ends; a null
 * (a suppressed count) is an empty cell.
 */
export function csvTable(rows: readonly (readonly CsvValue[])[]): string {
  const cell = (value: CsvValue) => {
    const text = value === null ? '' : String(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return `\uFEFF${rows.map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`;
}
