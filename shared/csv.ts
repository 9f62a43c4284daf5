/** Comma-separated values as spreadsheets write them; shared by every CSV import. */
export type CsvError = { row: number; column: number; message: string };

export type CsvRecord = { row: number; cells: string[] };

/** RFC 4180 with the leniency spreadsheets need: LF or CRLF (or CR) line ends, spaces before an opening quote. */
export function splitCsv(text: string, errors: CsvError[]): CsvRecord[] {
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let field = '';
  let inQuotes = false;
  let closedQuote = false;
  let quoteOpenedAt: CsvError | undefined;
  const position = () => ({ row: records.length + 1, column: cells.length + 1 });
  const endField = () => {
    cells.push(field);
    field = '';
    closedQuote = false;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (inQuotes) {
      if (ch !== '"') {
        field += ch;
      } else if (text.charAt(i + 1) === '"') {
        field += '"';
        i++;
      } else {
        inQuotes = false;
        closedQuote = true;
      }
    } else if (ch === '"' && !closedQuote && field.trim() === '') {
      inQuotes = true;
      field = '';
      const message = 'a quoted cell is never closed: add the missing closing " (write "" for a quote inside a cell)';
      quoteOpenedAt = { ...position(), message };
    } else if (ch === ',') {
      endField();
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text.charAt(i + 1) === '\n') i++;
      endField();
      records.push({ row: records.length + 1, cells });
      cells = [];
    } else {
      if (closedQuote && ch.trim() !== '') {
        const message = 'text after the closing quote of a quoted cell: quote the whole cell and write "" for a quote inside it';
        errors.push({ ...position(), message });
        closedQuote = false;
      }
      field += ch;
    }
  }
  if (inQuotes && quoteOpenedAt) errors.push(quoteOpenedAt);
  if (field !== '' || cells.length > 0 || inQuotes) {
    endField();
    records.push({ row: records.length + 1, cells });
  }
  return records;
}
