/**
 * What the page shows, taken from the public API's answers only (pure, so a unit test can
 * hold it to that): every figure here is a value of GET /v1/progress, /v1/progress/series
 * or /v1/progress/placements, or null where the API suppressed it. The one figure computed
 * here, the share of the target, is a ratio of two published values.
 */
export type Count = number | null;

export interface ProgressAnswer {
  rule: string;
  provisional: boolean;
  provisionalReason?: string;
  today: string;
  qualified: Count;
  pace: {
    target: number;
    targetWindow: { from: string; to: string };
    towardTarget: Count;
    remaining: number | null;
    daysLeft: number;
    neededPerDay: number | null;
    trailing30PerDay: number | null;
    trailing90PerDay: number | null;
    projectedDate: string | null;
  } | null;
  breakdowns: {
    prefectures: { code: string; ja: string; en: string; qualified: Count; completionsVerified: Count }[];
    types: { id: string; ja?: string; en?: string; qualified: Count }[];
    roles: { id: string; ja?: string; en?: string; qualified: Count }[];
  };
  suppressed: string | null;
}

export interface SeriesAnswer {
  rule: string;
  today: string;
  target: number;
  targetWindow: { from: string; to: string };
  months: { month: string; qualified: Count; cumulative: Count }[];
}

export interface PlacementsAnswer {
  placements: Count;
  byPrefecture: { code: string; ja: string; en: string; placements: Count }[];
  flows: { from: string; to: string; placements: Count }[];
  fromTokyoAreaToRegions: Count;
}

export const TOKYO_AREA = ['11', '12', '13', '14'];
export const UNKNOWN_PREFECTURE = '00';

export interface Named {
  key: string;
  ja: string;
  en: string;
  value: Count;
}

export interface PageModel {
  rule: { version: string; provisional: boolean; reason: string | undefined };
  today: string;
  headline: {
    towardTarget: Count;
    target: number;
    /** towardTarget / target, in per cent; null when the count is suppressed. */
    sharePercent: number | null;
    daysLeft: number | null;
    neededPerDay: number | null;
    trailing30PerDay: number | null;
    trailing90PerDay: number | null;
    projectedDate: string | null;
    targetEnd: string;
  };
  months: SeriesAnswer['months'];
  prefectures: (Named & { completionsVerified: Count })[];
  unknownPrefecture: Named | undefined;
  types: Named[];
  roles: Named[];
  placementsTotal: Count;
  placementsByPrefecture: Named[];
  fromTokyoArea: Count;
  /** Flows whose origin is in the Tokyo area (11-14) and destination outside it. */
  flowsFromTokyoArea: (Named & { from: string; to: string })[];
}

export function pageModel(progress: ProgressAnswer, series: SeriesAnswer, placements: PlacementsAnswer): PageModel {
  const names = new Map(progress.breakdowns.prefectures.map((p) => [p.code, p]));
  const pace = progress.pace;
  const toward = pace?.towardTarget ?? null;
  const prefectureRows = progress.breakdowns.prefectures.map((p) => ({
    key: p.code,
    ja: p.ja,
    en: p.en,
    value: p.qualified,
    completionsVerified: p.completionsVerified,
  }));
  const named = (list: { id: string; ja?: string; en?: string; qualified: Count }[]) =>
    list.map((x) => ({ key: x.id, ja: x.ja ?? x.id, en: x.en ?? x.id, value: x.qualified }));
  return {
    rule: { version: progress.rule, provisional: progress.provisional, reason: progress.provisionalReason },
    today: progress.today,
    headline: {
      towardTarget: toward,
      target: pace?.target ?? series.target,
      sharePercent: toward === null ? null : Math.floor((toward / (pace?.target ?? series.target)) * 1000) / 10,
      daysLeft: pace?.daysLeft ?? null,
      neededPerDay: pace?.neededPerDay ?? null,
      trailing30PerDay: pace?.trailing30PerDay ?? null,
      trailing90PerDay: pace?.trailing90PerDay ?? null,
      projectedDate: pace?.projectedDate ?? null,
      targetEnd: pace?.targetWindow.to ?? series.targetWindow.to,
    },
    months: series.months,
    prefectures: prefectureRows.filter((p) => p.key !== UNKNOWN_PREFECTURE),
    unknownPrefecture: prefectureRows.find((p) => p.key === UNKNOWN_PREFECTURE),
    types: named(progress.breakdowns.types),
    roles: named(progress.breakdowns.roles),
    placementsTotal: placements.placements,
    placementsByPrefecture: placements.byPrefecture.map((p) => ({ key: p.code, ja: p.ja, en: p.en, value: p.placements })),
    fromTokyoArea: placements.fromTokyoAreaToRegions,
    flowsFromTokyoArea: placements.flows
      .filter((f) => TOKYO_AREA.includes(f.from) && !TOKYO_AREA.includes(f.to))
      .map((f) => ({
        key: `${f.from}>${f.to}`,
        from: f.from,
        to: f.to,
        ja: `${names.get(f.from)?.ja ?? f.from} → ${names.get(f.to)?.ja ?? f.to}`,
        en: `${names.get(f.from)?.en ?? f.from} → ${names.get(f.to)?.en ?? f.to}`,
        value: f.placements,
      })),
  };
}

/** Orders a column: suppressed counts (1 to 9) rank between 0 and 10. */
export const sortValue = (n: Count) => (n === null ? 5 : n);

/** Shade classes of the tile map: 0 = none, 1..5 by share of the largest published count. */
export function shadeOf(value: Count, max: number): number | 'suppressed' {
  if (value === null) return 'suppressed';
  if (value === 0 || max <= 0) return 0;
  return Math.min(5, Math.max(1, Math.ceil((value / max) * 5)));
}
