/**
 * The tile grid map: one square per prefecture at its place (column, row) on a 15 x 11 grid,
 * north-east to south-west, as Japanese public dashboards draw it; no map data to ship.
 * `en` is a three-letter label for a square (the full names come from the API's answer).
 */
export const TILE_COLUMNS = 15;
export const TILE_ROWS = 11;

export const TILES: Record<string, { col: number; row: number; en: string }> = {
  '01': { col: 14, row: 0, en: 'HKD' },
  '02': { col: 14, row: 1, en: 'AOM' },
  '03': { col: 14, row: 2, en: 'IWT' },
  '04': { col: 14, row: 3, en: 'MYG' },
  '05': { col: 13, row: 2, en: 'AKT' },
  '06': { col: 13, row: 3, en: 'YGT' },
  '07': { col: 13, row: 4, en: 'FKS' },
  '08': { col: 14, row: 5, en: 'IBR' },
  '09': { col: 13, row: 5, en: 'TCG' },
  '10': { col: 12, row: 5, en: 'GNM' },
  '11': { col: 12, row: 6, en: 'SIT' },
  '12': { col: 14, row: 6, en: 'CHB' },
  '13': { col: 13, row: 6, en: 'TKY' },
  '14': { col: 12, row: 7, en: 'KNG' },
  '15': { col: 12, row: 4, en: 'NGT' },
  '16': { col: 11, row: 4, en: 'TYM' },
  '17': { col: 10, row: 4, en: 'ISK' },
  '18': { col: 9, row: 5, en: 'FKI' },
  '19': { col: 11, row: 6, en: 'YMN' },
  '20': { col: 11, row: 5, en: 'NGN' },
  '21': { col: 10, row: 5, en: 'GIF' },
  '22': { col: 11, row: 7, en: 'SZO' },
  '23': { col: 10, row: 6, en: 'AIC' },
  '24': { col: 10, row: 7, en: 'MIE' },
  '25': { col: 9, row: 6, en: 'SIG' },
  '26': { col: 8, row: 6, en: 'KYT' },
  '27': { col: 8, row: 7, en: 'OSK' },
  '28': { col: 7, row: 6, en: 'HYG' },
  '29': { col: 9, row: 7, en: 'NAR' },
  '30': { col: 8, row: 8, en: 'WKY' },
  '31': { col: 6, row: 6, en: 'TTR' },
  '32': { col: 5, row: 6, en: 'SMN' },
  '33': { col: 6, row: 7, en: 'OKY' },
  '34': { col: 5, row: 7, en: 'HRS' },
  '35': { col: 4, row: 7, en: 'YMG' },
  '36': { col: 6, row: 9, en: 'TKS' },
  '37': { col: 6, row: 8, en: 'KGW' },
  '38': { col: 5, row: 8, en: 'EHM' },
  '39': { col: 5, row: 9, en: 'KOC' },
  '40': { col: 3, row: 8, en: 'FKO' },
  '41': { col: 2, row: 8, en: 'SAG' },
  '42': { col: 1, row: 8, en: 'NGS' },
  '43': { col: 3, row: 9, en: 'KMM' },
  '44': { col: 4, row: 8, en: 'OIT' },
  '45': { col: 4, row: 9, en: 'MYZ' },
  '46': { col: 3, row: 10, en: 'KGS' },
  '47': { col: 0, row: 10, en: 'OKN' },
};

/** The square's Japanese label: the name without 都, 府 or 県 (北海道 stays whole). */
export const shortJa = (name: string) => (name === '北海道' ? name : name.replace(/[都府県]$/, ''));
