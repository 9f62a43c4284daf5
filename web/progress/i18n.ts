export type Lang = 'ja' | 'en';

const ja = {
  title: 'デジタル推進人材 230万人への進捗',
  subtitle: 'デジタル田園都市国家構想の目標：2026年度末（2027年3月31日）までに230万人',
  switchTo: 'English',
  switchLabel: 'Switch to English',
  loading: '読み込み中…',
  loadFailed: 'データを読み込めませんでした。しばらくしてから再読み込みしてください。',
  asOf: (date: string) => `${date} 時点`,
  headline: '目標に対する進捗',
  qualified: '認定された人数（目標期間内）',
  qualifiedShort: '認定人数',
  completionsShort: '検証済み修了',
  ofTarget: (target: string) => `目標 ${target}人`,
  share: '達成率',
  daysLeft: '期限までの残り日数',
  neededPerDay: '目標達成に必要なペース',
  trailing30: '直近30日のペース',
  trailing90: '直近90日のペース',
  projected: '直近30日のペースでの達成見込み日',
  noProjection: '見込みなし（直近30日の実績がないか、100年を超える）',
  perDay: '人／日',
  days: '日',
  people: '人',
  rule: (version: string) => `集計ルール ${version}`,
  provisional: '暫定',
  official: '確定',
  trend: '認定人数の推移（月別・累計）',
  trendCaption: (target: string) => `2022年4月からの累計。点線は目標（${target}人）、破線は直近30日のペースでの見込み。`,
  trendAlt: (last: string, month: string, target: string) => `${month}末までの累計 ${last}人。目標は ${target}人。数値は下の表のとおり。`,
  scaleTarget: '縦軸：目標まで',
  scaleData: '縦軸：実績に合わせる',
  month: '月',
  inMonth: 'その月の人数',
  cumulative: '累計',
  showTable: '表を表示',
  csv: 'CSV',
  csvLabel: (what: string) => `${what}のCSVをダウンロード`,
  xlsx: 'Excel',
  xlsxLabel: (what: string) => `${what}をExcelブック（.xlsx）でダウンロード`,
  prefectures: '都道府県別の認定人数',
  mapAlt: '都道府県のタイル地図。各都道府県を地理的な位置に1マスずつ並べ、認定人数で色分けしています。数値は表のとおり。',
  unknown: '都道府県不明',
  unknownNote: '居住地の都道府県が登録されていない人。全国の合計に含まれます。',
  legend: '凡例',
  legendNone: '0人',
  legendSuppressed: '10人未満',
  code: 'コード',
  prefecture: '都道府県',
  completionsVerified: '検証済み修了数',
  sortBy: (column: string) => `${column}で並べ替え`,
  types: '人材類型別',
  roles: 'ロール別',
  name: '名称',
  placements: '地方への就業（マッチング成立）',
  placementsTotal: 'マッチングで決まった就業の数',
  placementsByPrefecture: '就業先の都道府県別',
  flows: '東京圏（埼玉・千葉・東京・神奈川）から地方への流れ',
  fromTokyoArea: '東京圏から地方へ',
  flow: '居住地 → 就業先',
  noPlacements: 'まだ公表できる就業の実績はありません。',
  suppressed: '10人未満',
  suppressedShort: '10人未満',
  footnoteTitle: '注記',
  footnoteSuppression:
    '個人が特定されることを防ぐため、1人から9人の数は「10人未満」と表示し、値を公表していません。月別の推移では、公表した値どうしの差から10人未満の数が分かることのないよう、一部の月の値も非公表にしています。',
  footnoteSource: '数値はすべて公開API（GET /v1/progress、/v1/progress/series、/v1/progress/placements）の回答です。達成率のみ、公表値から計算しています。',
  footnoteRule: '集計ルールは暫定です：',
  footnoteWindow: '目標期間は2022年4月1日から2027年3月31日まで。期間後の認定は各年度の数に含まれますが、230万人には数えません。',
  api: 'API',
};

export type Strings = typeof ja;

const en: Strings = {
  title: 'Progress toward 2.3 million digital promotion talent',
  subtitle: 'The Digital Garden City Nation target: 2,300,000 by the end of FY2026 (31 March 2027)',
  switchTo: '日本語',
  switchLabel: '日本語に切り替える',
  loading: 'Loading…',
  loadFailed: 'The figures could not be loaded. Please reload in a moment.',
  asOf: (date: string) => `As of ${date}`,
  headline: 'Progress against the target',
  qualified: 'People qualified (in the target window)',
  qualifiedShort: 'Qualified',
  completionsShort: 'Verified completions',
  ofTarget: (target: string) => `of ${target}`,
  share: 'Share of the target',
  daysLeft: 'Days left',
  neededPerDay: 'Pace needed',
  trailing30: 'Pace over the last 30 days',
  trailing90: 'Pace over the last 90 days',
  projected: 'Projected date at the 30-day pace',
  noProjection: 'None (no qualifications in 30 days, or over a century away)',
  perDay: 'a day',
  days: 'days',
  people: '',
  rule: (version: string) => `Counting rule ${version}`,
  provisional: 'provisional',
  official: 'official',
  trend: 'People qualified by month, cumulative',
  trendCaption: (target: string) => `Cumulative since April 2022. Dotted: the target (${target}); dashed: the projection at the 30-day pace.`,
  trendAlt: (last: string, month: string, target: string) =>
    `${last} people qualified by the end of ${month}, against a target of ${target}. The table below has every figure.`,
  scaleTarget: 'Scale: up to the target',
  scaleData: 'Scale: fit the data',
  month: 'Month',
  inMonth: 'In the month',
  cumulative: 'Cumulative',
  showTable: 'Show the table',
  csv: 'CSV',
  csvLabel: (what: string) => `Download ${what} as CSV`,
  xlsx: 'Excel',
  xlsxLabel: (what: string) => `Download ${what} as an Excel workbook (.xlsx)`,
  prefectures: 'People qualified by prefecture',
  mapAlt: 'Tile map of the prefectures: one square per prefecture in its place, shaded by people qualified. The table has the figures.',
  unknown: 'Prefecture unknown',
  unknownNote: 'People with no residence prefecture on record; they are in the national total.',
  legend: 'Legend',
  legendNone: '0',
  legendSuppressed: 'fewer than 10',
  code: 'Code',
  prefecture: 'Prefecture',
  completionsVerified: 'Verified completions',
  sortBy: (column: string) => `Sort by ${column}`,
  types: 'By talent type',
  roles: 'By role',
  name: 'Name',
  placements: 'Jobs in the regions (matches accepted)',
  placementsTotal: 'Placements made through matching',
  placementsByPrefecture: 'By workplace prefecture',
  flows: 'From the Tokyo area (Saitama, Chiba, Tokyo, Kanagawa) to the regions',
  fromTokyoArea: 'From the Tokyo area to the regions',
  flow: 'Residence → workplace',
  noPlacements: 'No placements can be published yet.',
  suppressed: 'fewer than 10',
  suppressedShort: '<10',
  footnoteTitle: 'Notes',
  footnoteSuppression:
    'So that no one can be identified, counts from 1 to 9 are shown as "fewer than 10" and not published. In the monthly series, some further months are withheld so that no such count can be worked out as the difference of two published figures.',
  footnoteSource:
    'Every figure is an answer of the public API (GET /v1/progress, /v1/progress/series, /v1/progress/placements). Only the share of the target is computed here, from published figures.',
  footnoteRule: 'The counting rule is provisional: ',
  footnoteWindow: 'The target window runs from 1 April 2022 to 31 March 2027. Later qualifications count in their own fiscal year, not toward the 2.3 million.',
  api: 'API',
};

export const strings: Record<Lang, Strings> = { ja, en };

export function formatCount(n: number, lang: Lang): string {
  return n.toLocaleString(lang === 'ja' ? 'ja-JP' : 'en-GB');
}

export function formatRate(n: number, lang: Lang): string {
  return n.toLocaleString(lang === 'ja' ? 'ja-JP' : 'en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
}

export function formatDate(iso: string, lang: Lang): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  if (lang === 'ja') return `${y}年${m}月${d}日`;
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

export function formatMonth(month: string, lang: Lang): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  if (lang === 'ja') return `${y}年${m}月`;
  return new Date(Date.UTC(y, m - 1, 1)).toLocaleDateString('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });
}
