import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatCount, formatMonth, type Lang } from './i18n';
import type { PageModel } from './model';

const DAY = 86_400;
const at = (iso: string) => Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10) || '1')) / 1000;
/** The cumulative figure of a month is drawn at its last day (today for the month under way). */
const monthEnd = (month: string, today: string) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const end = Date.UTC(y, m, 1) / 1000 - DAY;
  return Math.min(end, at(today));
};

export type Scale = 'target' | 'data';

/**
 * The cumulative line with the target line and the projection at the trailing 30-day pace
 * (from today's published figure, at the published pace). A picture of the table below it:
 * the wrapper has role="img" and a text alternative, the canvas itself is not read.
 */
export function drawTrend(container: HTMLElement, model: PageModel, lang: Lang, scale: Scale): () => void {
  const { headline, months, today } = model;
  const xs = months.map((m) => monthEnd(m.month, today));
  const actual: (number | null)[] = months.map((m) => m.cumulative);
  const end = at(headline.targetEnd);
  const pace = headline.trailing30PerDay;
  const start = headline.towardTarget;
  let projectionEnd: { x: number; y: number } | undefined;
  if (start !== null && pace !== null && pace > 0 && at(today) < end) {
    const reach = headline.projectedDate ? at(headline.projectedDate) : Number.POSITIVE_INFINITY;
    projectionEnd = reach <= end ? { x: reach, y: headline.target } : { x: end, y: start + pace * ((end - at(today)) / DAY) };
  }
  const lastX = Math.max(end, projectionEnd?.x ?? 0);
  const x = [...xs, ...(projectionEnd && projectionEnd.x !== lastX ? [projectionEnd.x] : []), lastX];
  const pad = x.length - xs.length;
  const data: uPlot.AlignedData = [
    x,
    [...actual, ...Array(pad).fill(null)],
    x.map(() => headline.target),
    x.map((t, i) => {
      if (start === null || !projectionEnd) return null;
      if (i === xs.length - 1) return start;
      if (t === projectionEnd.x && i >= xs.length) return projectionEnd.y;
      return null;
    }),
  ];
  const dataMax = Math.max(1, ...actual.map((v) => v ?? 0), projectionEnd && projectionEnd.y < headline.target ? projectionEnd.y : 0);
  const top = scale === 'target' ? headline.target * 1.05 : dataMax * 1.15;
  const compact = new Intl.NumberFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', { notation: 'compact', maximumFractionDigits: 1 });
  const opts: uPlot.Options = {
    width: Math.max(280, container.clientWidth),
    height: container.clientWidth < 500 ? 240 : 320,
    legend: { show: false },
    cursor: { show: true, points: { show: false } },
    scales: { x: { time: true, range: [at('2022-04-01'), lastX] }, y: { range: [0, top] } },
    axes: [
      {
        // A label needs room for 2023年12月 / Dec 2023.
        space: 100,
        values: (_u, splits) => splits.map((s) => formatMonth(new Date(s * 1000).toISOString().slice(0, 7), lang)),
        stroke: '#333',
        grid: { stroke: '#e4e4e4' },
      },
      { values: (_u, splits) => splits.map((s) => compact.format(s)), stroke: '#333', grid: { stroke: '#e4e4e4' }, size: 60 },
    ],
    series: [
      {},
      { label: 'cumulative', stroke: '#1a5fb4', width: 2.5, spanGaps: true, points: { show: true, size: 4 } },
      { label: 'target', stroke: '#333333', width: 1.5, dash: [2, 4], points: { show: false } },
      { label: 'projection', stroke: '#b33c00', width: 2, dash: [8, 6], spanGaps: true, points: { show: false } },
    ],
  };
  const plot = new uPlot(opts, data, container);
  const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(280, container.clientWidth), height: container.clientWidth < 500 ? 240 : 320 }));
  resize.observe(container);
  return () => {
    resize.disconnect();
    plot.destroy();
  };
}

export const lastPublished = (model: PageModel) => [...model.months].reverse().find((m) => m.cumulative !== null);
export const countText = (n: number, lang: Lang) => formatCount(n, lang);
