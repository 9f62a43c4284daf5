/** Media types beside JSON that routes declare and functions answer with, named once. */
export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Answers that are bytes, not text: documented as such (contentMediaType), and checked by the tests for their file signature. */
export const binaryMediaTypes: ReadonlySet<string> = new Set([XLSX_MEDIA_TYPE]);
