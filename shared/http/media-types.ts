/** Media types beside JSON that routes declare and functions answer with, named once. */
export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
