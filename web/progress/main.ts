import './style.css';
import { drawTrend, lastPublished, type Scale } from './chart';
import { formatCount, formatDate, formatMonth, formatRate, type Lang, strings, type Strings } from './i18n';
import { type Count, type Named, type PageModel, pageModel, shadeOf, sortValue } from './model';
import { shortJa, TILE_COLUMNS, TILE_ROWS, TILES } from './tiles';

/**
 * The public progress page: three public API answers (same origin, so the browser and the
 * edge cache them as the API says: public, 20 s), drawn as a headline, a line chart, a tile
 * map and bar tables, each with its table and CSV link. Japanese first; ?lang=en or the
 * switch for English.
 */
const params = new URLSearchParams(location.search);
// ?rule=2026.1 shows the figures under another counting rule version (the API's own parameter).
const ruleParam = /^[0-9A-Za-z][0-9A-Za-z.-]{0,31}$/.test(params.get('rule') ?? '') ? `&rule=${params.get('rule')}` : '';
const API = {
  progress: ruleParam ? `/v1/progress?${ruleParam.slice(1)}` : '/v1/progress',
  series: `/v1/progress/series?by=month${ruleParam}`,
  placements: '/v1/progress/placements',
};
const CSV = {
  progress: `/v1/progress?format=csv${ruleParam}`,
  series: `/v1/progress/series?by=month&format=csv${ruleParam}`,
  placements: '/v1/progress/placements?format=csv',
};

type Child = Node | string | null | undefined | false;
function h(tag: string, attrs: Record<string, string | undefined> = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) if (value !== undefined) el.setAttribute(name, value);
  for (const child of children) if (child !== null && child !== undefined && child !== false) el.append(child);
  return el;
}

let lang: Lang = params.get('lang') === 'en' ? 'en' : 'ja';
let scale: Scale = 'target';
let model: PageModel | undefined;
let disposeChart: (() => void) | undefined;
const sorting = new Map<string, { column: number; descending: boolean }>();

const t = (): Strings => strings[lang];

/** A published figure (data-value is what the API answered) or the suppression mark. */
function figure(value: Count, unit = ''): HTMLElement {
  if (value === null) {
    return h('span', { class: 'figure suppressed', 'data-figure': '', 'data-value': 'suppressed', 'aria-describedby': 'note-suppression' }, t().suppressed);
  }
  return h('span', { class: 'figure', 'data-figure': '', 'data-value': String(value) }, `${formatCount(value, lang)}${unit}`);
}

function rate(value: number | null): HTMLElement {
  if (value === null) return h('span', { class: 'figure' }, '—');
  return h('span', { class: 'figure', 'data-figure': '', 'data-value': String(value) }, `${formatRate(value, lang)} ${t().perDay}`);
}

function csvLink(href: string, what: string): HTMLElement {
  return h('a', { class: 'csv', href, download: '', 'aria-label': t().csvLabel(what) }, t().csv);
}

/** The progress figures as a workbook for officers, its names in the page's language. */
function xlsxLink(what: string): HTMLElement {
  const href = `/v1/progress?format=xlsx&lang=${lang}${ruleParam}`;
  return h('a', { class: 'csv', href, download: '', 'aria-label': t().xlsxLabel(what) }, t().xlsx);
}

function section(id: string, title: string, ...children: Child[]): HTMLElement {
  return h('section', { id, 'aria-labelledby': `${id}-title` }, h('h2', { id: `${id}-title` }, title), ...children);
}

function headline(m: PageModel): HTMLElement {
  const s = t();
  const hl = m.headline;
  const share = hl.sharePercent;
  const bar = h('div', { class: 'meter', 'aria-hidden': 'true' }, h('div', { class: 'meter-fill' }));
  (bar.firstChild as HTMLElement).style.width = `${Math.min(100, share ?? 0)}%`;
  const stat = (label: string, value: HTMLElement) => h('div', { class: 'stat' }, h('dt', {}, label), h('dd', {}, value));
  return section(
    'headline',
    s.headline,
    h(
      'p',
      { class: 'big' },
      h('span', { class: 'big-label' }, s.qualified),
      h('span', { class: 'big-figure', id: 'headline-qualified' }, figure(hl.towardTarget, lang === 'ja' ? s.people : '')),
      h('span', { class: 'big-target' }, s.ofTarget(formatCount(hl.target, lang))),
    ),
    bar,
    h(
      'dl',
      { class: 'stats' },
      stat(s.share, share === null ? h('span', {}, '—') : h('span', { class: 'figure', 'data-derived': 'share' }, `${formatRate(share, lang)}%`)),
      stat(s.daysLeft, hl.daysLeft === null ? h('span', {}, '—') : figure(hl.daysLeft, lang === 'ja' ? s.days : ` ${s.days}`)),
      stat(s.neededPerDay, rate(hl.neededPerDay)),
      stat(s.trailing30, rate(hl.trailing30PerDay)),
      stat(s.trailing90, rate(hl.trailing90PerDay)),
      stat(s.projected, hl.projectedDate ? h('span', { class: 'figure' }, formatDate(hl.projectedDate, lang)) : h('span', { class: 'note' }, s.noProjection)),
    ),
    h(
      'p',
      { class: 'rule' },
      `${s.rule(m.rule.version)}（${m.rule.provisional ? s.provisional : s.official}）`,
      m.rule.provisional ? h('a', { href: '#note-rule' }, '*') : null,
      ` · ${s.asOf(formatDate(m.today, lang))}`,
    ),
  );
}

/** A table whose header buttons sort it (aria-sort on the column); `rows` are cells per row. */
function sortableTable(
  id: string,
  caption: string,
  headers: string[],
  numeric: boolean[],
  rows: { cells: (HTMLElement | string)[]; sortKeys: (number | string)[] }[],
) {
  const state = sorting.get(id) ?? { column: 0, descending: false };
  const sorted = [...rows].sort((a, b) => {
    const x = a.sortKeys[state.column]!;
    const y = b.sortKeys[state.column]!;
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), lang);
    return state.descending ? -order : order;
  });
  const head = headers.map((label, i) => {
    const sort = state.column === i ? (state.descending ? 'descending' : 'ascending') : 'none';
    const button = h(
      'button',
      { type: 'button', class: 'sort', 'aria-label': t().sortBy(label) },
      label,
      h('span', { 'aria-hidden': 'true' }, sort === 'ascending' ? ' ▲' : sort === 'descending' ? ' ▼' : ' ⇅'),
    );
    button.addEventListener('click', () => {
      sorting.set(id, { column: i, descending: state.column === i ? !state.descending : numeric[i]! });
      render();
      document.querySelector<HTMLElement>(`#${id} th:nth-child(${i + 1}) button`)?.focus();
    });
    return h('th', { scope: 'col', 'aria-sort': sort, class: numeric[i] ? 'num' : undefined }, button);
  });
  return h(
    'table',
    { id, class: 'data' },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, ...head)),
    h(
      'tbody',
      {},
      ...sorted.map((row) =>
        h('tr', {}, ...row.cells.map((cell, i) => (i === 0 ? h('th', { scope: 'row' }, cell) : h('td', { class: numeric[i] ? 'num' : undefined }, cell)))),
      ),
    ),
  );
}

function trend(m: PageModel): HTMLElement {
  const s = t();
  const last = lastPublished(m);
  const target = formatCount(m.headline.target, lang);
  const plot = h('div', {
    class: 'plot',
    role: 'img',
    'aria-label': last?.cumulative != null ? s.trendAlt(formatCount(last.cumulative, lang), formatMonth(last.month, lang), target) : s.trendCaption(target),
  });
  const toggle = h(
    'button',
    { type: 'button', class: 'toggle', 'aria-pressed': scale === 'data' ? 'true' : 'false' },
    scale === 'target' ? s.scaleData : s.scaleTarget,
  );
  toggle.addEventListener('click', () => {
    scale = scale === 'target' ? 'data' : 'target';
    render();
    document.querySelector<HTMLElement>('#trend .toggle')?.focus();
  });
  const rows = [...m.months]
    .reverse()
    .map((p) =>
      h(
        'tr',
        {},
        h('th', { scope: 'row' }, formatMonth(p.month, lang)),
        h('td', { class: 'num' }, figure(p.qualified)),
        h('td', { class: 'num' }, figure(p.cumulative)),
      ),
    );
  const table = h(
    'table',
    { class: 'data', id: 'trend-table' },
    h('caption', {}, s.trend),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, s.month),
        h('th', { scope: 'col', class: 'num' }, s.inMonth),
        h('th', { scope: 'col', class: 'num' }, s.cumulative),
      ),
    ),
    h('tbody', {}, ...rows),
  );
  queueMicrotask(() => {
    disposeChart = drawTrend(plot, m, lang, scale);
  });
  return section(
    'trend',
    s.trend,
    h('figure', {}, plot, h('figcaption', {}, s.trendCaption(target), ' ', toggle, ' ', csvLink(CSV.series, s.trend))),
    h('details', {}, h('summary', {}, s.showTable), table),
  );
}

function tileMap(m: PageModel): HTMLElement {
  const s = t();
  const max = Math.max(0, ...m.prefectures.map((p) => p.value ?? 0));
  const grid = h('div', { class: 'tiles', role: 'img', 'aria-label': s.mapAlt });
  grid.style.setProperty('--cols', String(TILE_COLUMNS));
  grid.style.setProperty('--rows', String(TILE_ROWS));
  for (const p of m.prefectures) {
    const place = TILES[p.key];
    if (!place) continue;
    const shade = shadeOf(p.value, max);
    const tile = h(
      'div',
      {
        class: `tile shade-${shade}`,
        title: `${lang === 'ja' ? p.ja : p.en}: ${p.value === null ? s.suppressed : formatCount(p.value, lang)}`,
        'data-code': p.key,
      },
      h('span', { class: 'tile-name' }, lang === 'ja' ? shortJa(p.ja) : place.en),
      h('span', { class: 'tile-value' }, p.value === null ? s.suppressedShort : formatCount(p.value, lang)),
    );
    tile.style.gridColumn = String(place.col + 1);
    tile.style.gridRow = String(place.row + 1);
    grid.append(tile);
  }
  const legend = h(
    'ul',
    { class: 'legend', 'aria-label': s.legend },
    h('li', {}, h('span', { class: 'swatch shade-0', 'aria-hidden': 'true' }), s.legendNone),
    h('li', {}, h('span', { class: 'swatch shade-suppressed', 'aria-hidden': 'true' }), s.legendSuppressed),
    ...[1, 2, 3, 4, 5].map((k) =>
      h(
        'li',
        {},
        h('span', { class: `swatch shade-${k}`, 'aria-hidden': 'true' }),
        `${formatCount(Math.floor(((k - 1) / 5) * max) + 1, lang)}–${formatCount(Math.floor((k / 5) * max), lang)}`,
      ),
    ),
  );
  const unknown = m.unknownPrefecture;
  const aside = h(
    'aside',
    { class: 'unknown', 'aria-labelledby': 'unknown-title' },
    h('h3', { id: 'unknown-title' }, s.unknown),
    h('p', { class: 'unknown-figure' }, unknown ? figure(unknown.value, lang === 'ja' ? s.people : '') : '—'),
    h('p', {}, s.unknownNote),
  );
  const table = sortableTable(
    'prefecture-table',
    s.prefectures,
    [s.prefecture, s.code, s.qualifiedShort, s.completionsShort],
    [false, false, true, true],
    m.prefectures.map((p) => ({
      cells: [lang === 'ja' ? p.ja : p.en, p.key, figure(p.value), figure(p.completionsVerified)],
      sortKeys: [p.key, p.key, sortValue(p.value), sortValue(p.completionsVerified)],
    })),
  );
  // The first column sorts by code: north to south, as the tables of the ministries do.
  return section(
    'prefectures',
    s.prefectures,
    // The table beside the map (below it on a phone), scrolling within its own box.
    h(
      'div',
      { class: 'map-row' },
      h('div', {}, h('figure', { class: 'map' }, grid, h('figcaption', {}, legend)), aside),
      h('div', { class: 'table-wrap tall' }, table),
    ),
    h('p', {}, csvLink(CSV.progress, s.prefectures), ' ', xlsxLink(s.prefectures)),
  );
}

/** Bars drawn in a table: each row is the name, the figure and a bar (hidden from screen readers: the figure says it). */
function barTable(id: string, caption: string, rows: Named[], csvHref: string, emptyText?: string): HTMLElement {
  const s = t();
  if (rows.length === 0 && emptyText) return h('p', { id, class: 'empty' }, emptyText);
  const max = Math.max(1, ...rows.map((r) => r.value ?? 0));
  const body = rows.map((r) => {
    const bar = h('span', { class: r.value === null ? 'bar bar-suppressed' : 'bar', 'aria-hidden': 'true' });
    bar.style.width = `${r.value === null ? 0 : Math.max(0.5, (r.value / max) * 100)}%`;
    return h('tr', {}, h('th', { scope: 'row' }, lang === 'ja' ? r.ja : r.en), h('td', { class: 'num' }, figure(r.value)), h('td', { class: 'bar-cell' }, bar));
  });
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { id, class: 'data bars' },
      h('caption', {}, caption, ' ', csvLink(csvHref, caption)),
      h(
        'thead',
        {},
        h('tr', {}, h('th', { scope: 'col' }, s.name), h('th', { scope: 'col', class: 'num' }, s.qualifiedShort), h('td', { 'aria-hidden': 'true' })),
      ),
      h('tbody', {}, ...body),
    ),
  );
}

function placements(m: PageModel): HTMLElement {
  const s = t();
  const shown = (list: Named[]) => list.filter((r) => r.value !== 0).sort((a, b) => sortValue(b.value) - sortValue(a.value) || a.key.localeCompare(b.key));
  const byPrefecture = barTable('placements-table', s.placementsByPrefecture, shown(m.placementsByPrefecture), CSV.placements, s.noPlacements);
  const flows = barTable('flows-table', s.flows, shown(m.flowsFromTokyoArea), CSV.placements, s.noPlacements);
  for (const th of flows.querySelectorAll('thead th:first-child')) th.textContent = s.flow;
  for (const th of [...byPrefecture.querySelectorAll('thead th.num'), ...flows.querySelectorAll('thead th.num')]) th.textContent = s.placements;
  return section(
    'placements',
    s.placements,
    h(
      'dl',
      { class: 'stats' },
      h('div', { class: 'stat' }, h('dt', {}, s.placementsTotal), h('dd', {}, figure(m.placementsTotal))),
      h('div', { class: 'stat' }, h('dt', {}, s.fromTokyoArea), h('dd', { id: 'from-tokyo-area' }, figure(m.fromTokyoArea))),
    ),
    h('div', { class: 'two' }, h('div', {}, h('h3', {}, s.placementsByPrefecture), byPrefecture), h('div', {}, h('h3', {}, s.flows), flows)),
    h('p', {}, csvLink(CSV.placements, s.placements)),
  );
}

function footnotes(m: PageModel): HTMLElement {
  const s = t();
  return h(
    'footer',
    { id: 'notes', 'aria-labelledby': 'notes-title' },
    h('h2', { id: 'notes-title' }, s.footnoteTitle),
    h(
      'ol',
      {},
      h('li', { id: 'note-suppression' }, s.footnoteSuppression),
      h('li', {}, s.footnoteSource),
      m.rule.provisional ? h('li', { id: 'note-rule' }, s.footnoteRule, m.rule.reason ?? '') : null,
      h('li', {}, s.footnoteWindow),
    ),
  );
}

function render() {
  const s = t();
  document.documentElement.lang = lang;
  document.title = s.title;
  disposeChart?.();
  disposeChart = undefined;
  const root = document.getElementById('app')!;
  const switcher = h('button', { type: 'button', id: 'lang-switch', lang: lang === 'ja' ? 'en' : 'ja', 'aria-label': s.switchLabel }, s.switchTo);
  switcher.addEventListener('click', () => {
    lang = lang === 'ja' ? 'en' : 'ja';
    const url = new URL(location.href);
    if (lang === 'en') url.searchParams.set('lang', 'en');
    else url.searchParams.delete('lang');
    history.replaceState(null, '', url);
    render();
    document.getElementById('lang-switch')?.focus();
  });
  const header = h('header', {}, h('div', { class: 'title' }, h('h1', {}, s.title), h('p', { class: 'subtitle' }, s.subtitle)), switcher);
  const typesAndRoles = model
    ? section(
        'types-roles',
        `${s.types} / ${s.roles}`,
        h(
          'div',
          { class: 'two' },
          h('div', {}, h('h3', {}, s.types), barTable('types-table', s.types, model.types, CSV.progress)),
          h('div', {}, h('h3', {}, s.roles), barTable('roles-table', s.roles, model.roles, CSV.progress)),
        ),
      )
    : null;
  const main = h(
    'main',
    { id: 'main' },
    ...(model
      ? [headline(model), trend(model), tileMap(model), typesAndRoles, placements(model)]
      : [h('p', { class: 'status', role: 'status' }, failed ? s.loadFailed : s.loading)]),
  );
  root.replaceChildren(header, main, ...(model ? [footnotes(model)] : []));
  root.setAttribute('aria-busy', model || failed ? 'false' : 'true');
}

let failed = false;

async function load() {
  render();
  try {
    const get = async (url: string) => {
      const res = await fetch(url, { headers: { accept: 'application/json' } });
      if (!res.ok) throw new Error(`${url}: ${res.status}`);
      return res.json();
    };
    const [progress, series, placed] = await Promise.all([get(API.progress), get(API.series), get(API.placements)]);
    model = pageModel(progress, series, placed);
  } catch {
    failed = true;
  }
  render();
}

void load();
