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

export type CsvEncoding = 'utf-8' | 'shift_jis';
export type DecodedText = { ok: true; text: string; encoding: CsvEncoding } | { ok: false; message: string };

/** The `charset` parameter of a Content-Type, lower-cased and unquoted; undefined when absent. */
export function charsetOf(contentType: string | undefined): string | undefined {
  for (const parameter of (contentType ?? '').split(';').slice(1)) {
    const [name, ...value] = parameter.split('=');
    if (name?.trim().toLowerCase() === 'charset')
      return value
        .join('=')
        .trim()
        .replace(/^"(.*)"$/, '$1')
        .toLowerCase();
  }
  return undefined;
}

// WHATWG labels both, except Microsoft's own names for its Shift_JIS (Windows-31J).
const CHARSET_LABELS = new Map([
  ['cp932', 'shift_jis'],
  ['x-ms-cp932', 'shift_jis'],
  ['windows-932', 'shift_jis'],
]);

const SAVE_AS = 'In Excel save it as "CSV UTF-8 (comma delimited)" or "CSV (comma delimited)" and upload again';

/**
 * Text of a spreadsheet's CSV: the declared charset when there is one (UTF-8 or
 * Shift_JIS, which WHATWG decoders read as Windows-31J/CP932: what "CSV (comma delimited)"
 * means in Japanese Excel); otherwise UTF-8 (BOM optional) if the bytes are UTF-8, else
 * Shift_JIS if they decode as such and hold a double-byte character. Stray high bytes in
 * an ASCII file also "decode" as half-width katakana; taking those as Japanese would
 * store garbage, so such a file is refused unless it declares charset=shift_jis.
 */
export function decodeSpreadsheetText(bytes: Uint8Array, charset?: string): DecodedText {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { ok: false, message: `The file is UTF-16 (Excel "Unicode Text"). ${SAVE_AS}.` };
  }
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) {
    return { ok: false, message: `The file is a workbook (.xlsx), not CSV. ${SAVE_AS}.` };
  }
  const decoded = charset === undefined ? detect(bytes) : declared(bytes, charset);
  // A NUL in a cell is that row's problem; NULs throughout are UTF-16 without a BOM, or not text at all.
  if (decoded.ok && nulShare(decoded.text) > 0.25) return { ok: false, message: `The file is not text (it is mostly NUL bytes). ${SAVE_AS}.` };
  return decoded;
}

const nulShare = (text: string) => (text.split('\u0000').length - 1) / Math.max(text.length, 1);

function declared(bytes: Uint8Array, charset: string): DecodedText {
  const encoding = decoderFor(CHARSET_LABELS.get(charset) ?? charset)?.encoding;
  if (encoding !== 'utf-8' && encoding !== 'shift_jis') {
    return {
      ok: false,
      message: `charset=${charset.slice(0, 40)} is not supported: send UTF-8 or Shift_JIS (CP932), or leave the charset out to have it detected.`,
    };
  }
  const text = strictDecode(bytes, encoding);
  if (text === undefined)
    return { ok: false, message: `The file is not valid ${encoding === 'utf-8' ? 'UTF-8' : 'Shift_JIS (CP932)'} as its charset says. ${SAVE_AS}.` };
  return { ok: true, text, encoding };
}

function detect(bytes: Uint8Array): DecodedText {
  const utf8 = strictDecode(bytes, 'utf-8');
  if (utf8 !== undefined) return { ok: true, text: utf8, encoding: 'utf-8' };
  const sjis = strictDecode(bytes, 'shift_jis');
  // Single bytes of Shift_JIS are ASCII, U+0080 and half-width katakana; anything else came from a double-byte character.
  if (sjis !== undefined && /[^\u0000-\u0080\uff61-\uff9f]/.test(sjis)) return { ok: true, text: sjis, encoding: 'shift_jis' };
  return { ok: false, message: `The file is neither UTF-8 nor Shift_JIS (CP932) text. ${SAVE_AS}.` };
}

/** The text, or undefined when the bytes are not valid in that encoding (a UTF-8 BOM is dropped). */
function strictDecode(bytes: Uint8Array, encoding: CsvEncoding): string | undefined {
  try {
    return decoderFor(encoding, true)?.decode(bytes);
  } catch {
    return undefined;
  }
}

/** Undefined for an unknown label, or Shift_JIS where the runtime was built without ICU encodings. */
function decoderFor(label: string, fatal = false): InstanceType<typeof TextDecoder> | undefined {
  try {
    return new TextDecoder(label, { fatal });
  } catch {
    return undefined;
  }
}
