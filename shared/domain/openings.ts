import { randomBytes } from 'node:crypto';
import { actsFor, isCenterOf, overseesPrefecture } from '../access';
import type { CatalogVersion } from '../catalog/model';
import { auditSubject, recordAudit } from '../data/audit';
import {
  getOpening,
  listOpeningsOfOrganisation,
  listOpeningsOfPrefecture,
  listOpenOpeningsNationally,
  putNewOpening,
  updateOpening,
  type Opening,
  type OpeningStatus,
} from '../data/openings';
import type { Page } from '../data/query';
import { bodyFieldErrors, conflict, forbidden, invalid, notFound } from '../errors';
import type { Actor } from '../identity';
import { normalizeLocalGovernmentCode } from '../ids';
import { isValidIsoDate, japanDate } from '../time/japan-time';
import type { WorkStyle } from '../schemas/fields';
import type { OpeningInput, OpeningPatch, OpeningView } from '../schemas/openings';
import { publicBaseUrl } from '../credentials/settings';
import { catalogNamedIn, requireCatalog } from './catalog-lookup';
import { jobPosting, type JobPosting } from './job-posting';
import { ownOrgId, requireOwnOrganisation } from './organisations';

export type { OpeningInput, OpeningPatch, OpeningView } from '../schemas/openings';

const newOpeningId = () => `opn_${randomBytes(10).toString('hex')}`;

/** The public shape of an opening: without the owner's account id and the version counter. */
export function openingView(opening: Opening): OpeningView {
  const { ownerOrg: _owner, version: _version, ...view } = opening;
  return view;
}

// ---------------------------------------------------------------------------------------
// Who sees what

/** The organisation that posted the opening (same org id, and acting as the same kind). */
export function ownsOpening(actor: Actor | undefined, opening: Opening): boolean {
  return actsFor(actor, { org: opening.ownerOrg, kind: opening.organisation.kind });
}

/**
 * Open openings are public; drafts, closed and filled ones are for the owner, the center of
 * the workplace prefecture and admin.
 */
export function mayView(actor: Actor | undefined, opening: Opening): boolean {
  return opening.status === 'open' || overseesPrefecture(actor, opening.workplace.prefecture) || ownsOpening(actor, opening);
}

/** One opening as the caller may see it; anything the caller may not see is "not found". */
export async function readOpening(actor: Actor | undefined, openingId: string): Promise<Opening> {
  const opening = await getOpening(openingId);
  if (!opening || !mayView(actor, opening)) throw notFound(`No opening ${openingId}.`);
  return opening;
}

/** The schema.org JobPosting of an open opening; other openings have none (404). */
export async function readJobPosting(actor: Actor | undefined, openingId: string): Promise<JobPosting> {
  const opening = await readOpening(actor, openingId);
  if (opening.status !== 'open') {
    throw notFound(`Opening ${openingId} is ${opening.status}: a JobPosting exists only for an open opening; ask for application/json.`);
  }
  return jobPosting(opening, await requireCatalog(opening.catalogVersion), publicBaseUrl());
}

// ---------------------------------------------------------------------------------------
// Rules on the content

// A missing version is the request's fault (422); a failing lookup is not (it propagates).
const catalogFor = (version: string): Promise<CatalogVersion> => catalogNamedIn('catalogVersion', version);

/** Every role and skill must exist in the opening's catalog version. */
function catalogErrors(catalog: CatalogVersion, fields: Pick<OpeningInput, 'roles' | 'required' | 'niceToHave'>): string[] {
  const roleIds = new Set(catalog.promotion.roles.map((r) => r.id));
  const skillIds = new Set(catalog.promotion.skills.map((s) => s.id));
  const errors: string[] = [];
  fields.roles.forEach((role, i) => {
    if (!roleIds.has(role)) errors.push(`roles[${i}]: "${role}" is not a DSS-P role of catalog ${catalog.version}`);
  });
  for (const list of ['required', 'niceToHave'] as const) {
    fields[list].forEach(({ skill }, i) => {
      if (!skillIds.has(skill)) errors.push(`${list}[${i}].skill: "${skill}" is not a DSS-P skill of catalog ${catalog.version}`);
    });
  }
  const required = new Set(fields.required.map((r) => r.skill));
  fields.niceToHave.forEach(({ skill }, i) => {
    if (required.has(skill)) errors.push(`niceToHave[${i}].skill: "${skill}" is already a required skill`);
  });
  return errors;
}

function calendarErrors(dates: Record<string, string | undefined>): string[] {
  return Object.entries(dates)
    .filter(([, date]) => date !== undefined && !isValidIsoDate(date))
    .map(([field, date]) => `${field}: ${date} does not exist on the calendar; check the month (01-12) and the day of that month`);
}

function periodErrors(period: OpeningInput['period']): string[] {
  return period.end !== undefined && period.end < period.start ? [`period.end: ${period.end} is before period.start ${period.start}`] : [];
}

function deadlineErrors(deadline: string, today: string, why: string): string[] {
  return deadline < today ? [`deadline: ${deadline} is in the past (today in Japan is ${today}); ${why}`] : [];
}

function refuse(errors: string[]): void {
  if (errors.length) throw invalid(errors.slice(0, 5).join('; '), { errors: bodyFieldErrors(errors) });
}

function workplaceOf(code: string, name: string | undefined): Opening['workplace'] {
  const result = normalizeLocalGovernmentCode(code);
  if (!result.ok) throw invalid(`workplace: ${result.reason}`);
  return { municipality: result.code, prefecture: result.prefecture, ...(name ? { name } : {}) };
}

// ---------------------------------------------------------------------------------------
// Posting and editing

/**
 * An employer or municipality posts an opening for its registered organisation. It starts
 * as a draft; the workplace fixes the prefecture it is listed and matched in.
 */
export async function postOpening(actor: Actor, input: OpeningInput, now: Date): Promise<Opening> {
  const organisation = await requireOwnOrganisation(actor);
  const today = japanDate(now);
  const dates = calendarErrors({ 'period.start': input.period.start, 'period.end': input.period.end, deadline: input.deadline });
  refuse(dates);
  const catalog = await catalogFor(input.catalogVersion);
  refuse([
    ...catalogErrors(catalog, input),
    ...periodErrors(input.period),
    ...deadlineErrors(input.deadline, today, 'give the last day to apply, today or later'),
  ]);
  const at = now.toISOString();
  const opening: Opening = {
    openingId: newOpeningId(),
    ownerOrg: organisation.id,
    organisation: { id: organisation.id, kind: organisation.kind, name: organisation.name },
    title: input.title,
    description: input.description,
    catalogVersion: catalog.version,
    roles: input.roles,
    required: input.required,
    niceToHave: input.niceToHave,
    workStyle: input.workStyle,
    workplace: workplaceOf(input.workplace, input.workplaceName),
    headcount: input.headcount,
    period: input.period,
    deadline: input.deadline,
    ...(input.pay ? { pay: input.pay } : {}),
    status: 'draft',
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  if (!(await putNewOpening(opening))) throw conflict('An opening id collided; retry.');
  await recordAudit(actor, 'opening-created', auditSubject.opening(opening.openingId), now, { status: opening.status });
  return opening;
}

const contentFields = ['title', 'description', 'roles', 'required', 'niceToHave', 'workStyle', 'workplace', 'headcount', 'period', 'deadline', 'pay'] as const;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The owner edits an opening. A draft can change anything and be opened or closed; an
 * open opening can only be closed or have its deadline moved; closed and filled ones are
 * final. A field sent with its current value is not a change. The write is conditional on
 * the version read: of two concurrent edits one wins, the other gets 409.
 */
export async function editOpening(actor: Actor, openingId: string, patch: OpeningPatch, now: Date): Promise<Opening> {
  ownOrgId(actor);
  const current = await getOpening(openingId);
  // Another organisation's opening does not exist as far as this caller can tell.
  if (!current || !ownsOpening(actor, current)) throw notFound(`No opening ${openingId} of your organisation.`);
  if (current.status === 'closed' || current.status === 'filled') {
    throw conflict(`Opening ${openingId} is ${current.status}: it can no longer change; post a new opening.`);
  }

  const { status: wantedStatus, workplace, workplaceName, ...rest } = patch;
  // A name belongs to its code: a new code without a name drops the old one.
  const name = workplaceName ?? (workplace === undefined ? current.workplace.name : undefined);
  const content: Omit<Opening, 'status' | 'updatedAt' | 'version'> = {
    ...current,
    ...Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined)),
    ...(workplace !== undefined || workplaceName !== undefined ? { workplace: workplaceOf(workplace ?? current.workplace.municipality, name) } : {}),
  };
  const changed = contentFields.filter((field) => !same(current[field], content[field]));
  const status: OpeningStatus = wantedStatus ?? current.status;

  if (current.status === 'open') {
    const refused = changed.filter((field) => field !== 'deadline');
    if (refused.length) {
      throw conflict(`An open opening can only be closed or have its deadline moved; close it and post a new one (refused: ${refused.join(', ')}).`, {
        errors: refused.map((field) => ({ in: 'body', field, message: 'an open opening keeps this as posted' })),
      });
    }
  }

  const today = japanDate(now);
  refuse(calendarErrors({ 'period.start': patch.period?.start, 'period.end': patch.period?.end, deadline: patch.deadline }));
  const errors: string[] = [];
  if (changed.some((field) => field === 'roles' || field === 'required' || field === 'niceToHave')) {
    errors.push(...catalogErrors(await catalogFor(current.catalogVersion), content));
  }
  if (changed.includes('period')) errors.push(...periodErrors(content.period));
  if (changed.includes('deadline')) errors.push(...deadlineErrors(content.deadline, today, 'a deadline is moved to today or later'));
  else if (status === 'open' && current.status === 'draft') {
    errors.push(...deadlineErrors(content.deadline, today, 'move the deadline to today or later before opening'));
  }
  refuse(errors);

  if (changed.length === 0 && status === current.status) return current;
  const next: Opening = { ...content, status, updatedAt: now.toISOString(), version: current.version + 1 };
  const stored = await updateOpening(current, next);
  if (!stored) throw conflict('The opening changed meanwhile; reload and retry.');
  const action = status !== current.status ? 'opening-status' : 'opening-updated';
  await recordAudit(actor, action, auditSubject.opening(openingId), now, { status });
  return stored;
}

// ---------------------------------------------------------------------------------------
// Listing

export interface OpeningQuery {
  prefecture?: string;
  role?: string;
  item?: string;
  workStyle?: WorkStyle;
  remote?: boolean;
  status?: OpeningStatus;
  cursor?: string;
  limit?: number;
}

/** The filters beside prefecture and status, applied inside the walk (undefined: none). */
function filtersOf(query: OpeningQuery): ((o: Opening) => boolean) | undefined {
  const { role, item, workStyle, remote } = query;
  if (!role && !item && !workStyle && remote === undefined) return undefined;
  return (o) =>
    (!role || o.roles.includes(role)) &&
    (!item || o.required.some((r) => r.skill === item) || o.niceToHave.some((r) => r.skill === item)) &&
    (!workStyle || o.workStyle === workStyle) &&
    (remote === undefined || (o.workStyle === 'remote') === remote);
}

/**
 * An organisation's own openings in any status, drafts included (gsi2), newest last;
 * `status`, `role`, `item`, `workStyle` and `remote` filter inside the walk, so a page is
 * full unless it is the last.
 */
export async function findOwnOpenings(actor: Actor, query: Omit<OpeningQuery, 'prefecture'>): Promise<{ openings: OpeningView[]; cursor: string | undefined }> {
  // The same id could name an organisation of the other kind: keep only the caller's own.
  const wanted = filtersOf(query);
  const visible = (o: Opening) => ownsOpening(actor, o) && (!query.status || o.status === query.status) && (!wanted || wanted(o));
  const page = await listOpeningsOfOrganisation(ownOrgId(actor), {
    cursor: query.cursor,
    limit: query.limit ?? 50,
    select: (items) => items.map((o) => (visible(o) ? o : undefined)),
  });
  return { openings: page.items.map(openingView), cursor: page.cursor };
}

/**
 * The search of openings, the same for every caller: by prefecture and status (gsi1), or
 * without a prefecture the open openings of the whole country in prefecture code order.
 * Who may see what:
 * - anyone: open openings, of a prefecture or of the country;
 * - a center: any status in its own prefecture (the default when it asks for a status
 *   other than open), open ones elsewhere;
 * - admin: any status of a prefecture;
 * - an organisation's drafts and closed openings: GET /v1/organisations/me/openings.
 * `role`, `item`, `workStyle` and `remote` filter inside the walk: a page is full unless
 * it is the last.
 */
export async function findOpenings(actor: Actor | undefined, query: OpeningQuery): Promise<{ openings: OpeningView[]; cursor: string | undefined }> {
  const status = query.status ?? 'open';
  let prefecture = query.prefecture;
  if (status !== 'open') {
    switch (actor?.role) {
      case 'admin':
        break;
      case 'center':
        prefecture ??= actor.prefecture;
        if (!isCenterOf(actor, prefecture)) {
          throw forbidden(`A center sees ${status} openings of its own prefecture (${actor.prefecture ?? 'none'}) only; elsewhere only open ones.`);
        }
        break;
      case 'employer':
      case 'municipality':
        throw forbidden(`Only open openings are searched; your own openings in any status: GET /v1/organisations/me/openings.`);
      default:
        throw forbidden('Only open openings are public.');
    }
  }
  const wanted = filtersOf(query);
  const request = {
    cursor: query.cursor,
    limit: query.limit ?? 50,
    ...(wanted ? { select: (items: Opening[]) => items.map((o) => (wanted(o) ? o : undefined)) } : {}),
  };
  let page: Page<Opening>;
  if (prefecture) page = await listOpeningsOfPrefecture(prefecture, status, request);
  else if (status === 'open') page = await listOpenOpeningsNationally(request);
  else throw invalid(`Give a prefecture for ${status} openings: e.g. GET /v1/openings?prefecture=31&status=${status}.`);
  return { openings: page.items.map(openingView), cursor: page.cursor };
}
