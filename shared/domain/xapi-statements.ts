import { createHash, randomUUID } from 'node:crypto';
import { actsFor } from '../access';
import { publicBaseUrl } from '../credentials/settings';
import { getCourse } from '../data/courses';
import { learnerOfProviderAccount } from '../data/provider-links';
import { getActivity, getStatements, listStatements, putActivity, putStatement, type StoredStatement } from '../data/xapi';
import { conflict, notFound } from '../errors';
import type { Actor } from '../identity';
import type { Statement } from '../schemas/xapi';
import { japanDate } from '../time/japan-time';
import { checkCompletion, storeCompletion } from './completions';

/**
 * A Learning Record Store for the statements resource (xAPI 1.0.3). Statements are kept
 * per provider; a statement saying a learner completed or passed an activity the
 * provider registered for one of its courses becomes that provider's verified
 * completion, exactly as if the provider had reported it (POST /v1/completions): only for
 * a learner who linked the provider, counted once whatever the retries.
 */
export const XAPI_VERSION = '1.0.3';

/** The largest statement kept (a DynamoDB item holds 400 KB; attachments are not supported). */
export const MAX_STATEMENT_BYTES = 64 * 1024;

/** ADL's verbs (cmi5 uses the same two). */
export const COMPLETION_VERBS = new Set(['http://adlnet.gov/expapi/verbs/completed', 'http://adlnet.gov/expapi/verbs/passed']);

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/**
 * What makes two statements with one id the same (the specification's comparison): the
 * properties the LRS sets (stored, authority, version) left out, member order ignored,
 * the id and mbox compared without case, timestamps as instants.
 */
export function contentDigest(statement: Statement & { id: string }): string {
  const { stored: _s, authority: _a, version: _v, ...rest } = statement;
  const normal = JSON.parse(JSON.stringify(rest), (key, value) => {
    if (key === 'mbox' && typeof value === 'string') return value.toLowerCase();
    // Any member may be called timestamp inside extensions: only a date is normalised.
    if (key === 'timestamp' && typeof value === 'string' && !Number.isNaN(Date.parse(value))) return new Date(value).toISOString();
    return value;
  });
  normal.id = statement.id.toLowerCase();
  return sha256(JSON.stringify(canonical(normal)));
}

const isAgentLike = (value: Record<string, unknown>) =>
  value.objectType === 'Agent' || value.objectType === 'Group' || 'mbox' in value || 'mbox_sha1sum' in value || 'openid' in value || 'account' in value;

/**
 * The LRS keeps no names or e-mail addresses: every agent's `name` is dropped and an
 * `mbox` is kept as its `mbox_sha1sum` (the same identifier, as the specification defines
 * it). Extensions and free text are kept as sent.
 */
export function withoutPersonalData<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutPersonalData) as T;
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  const agentLike = isAgentLike(value as Record<string, unknown>);
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (key === 'extensions' || key === 'definition') out[key] = v;
    else if (agentLike && key === 'name') continue;
    else if (agentLike && key === 'mbox' && typeof v === 'string') out.mbox_sha1sum = sha1(v);
    else out[key] = withoutPersonalData(v);
  }
  return out as T;
}

export const activityDigest = (activityId: string) => sha256(activityId);

/** The LRS's own identity on every statement it stores. */
const authorityOf = (providerId: string) => ({ objectType: 'Agent', account: { homePage: publicBaseUrl(), name: `provider:${providerId}` } });

/** A completion the statement makes, if any: the learner (by their kanryu account), the course (by activity), the Japan date. */
async function completionOf(providerId: string, statement: Statement, stored: string) {
  if (!COMPLETION_VERBS.has(statement.verb.id)) return undefined;
  if (statement.verb.id.endsWith('/passed') && statement.result?.success === false) return undefined;
  if (statement.result?.completion === false) return undefined;
  const object = statement.object as { objectType?: string; id?: string };
  if ((object.objectType ?? 'Activity') !== 'Activity' || !object.id) return undefined;
  const account = 'account' in statement.actor ? statement.actor.account : undefined;
  if (!account) return undefined;
  // Our own account ids, or an account name of the provider's system that the provider mapped.
  const learnerId = account.homePage.replace(/\/+$/, '') === publicBaseUrl() ? account.name : await learnerOfProviderAccount(providerId, account.name);
  if (!learnerId) return undefined;
  const registered = await getActivity(providerId, activityDigest(object.id));
  if (!registered) return undefined;
  return { learnerId, courseId: registered.courseId, completedOn: japanDate(new Date(statement.timestamp ?? stored)) };
}

/**
 * Applies a stored statement's effect: a verified completion. A report refused (learner
 * not linked, no profile, date out of range) leaves the statement stored and changes
 * nothing else, as a refused CSV row does. Idempotent: a retry finds the completion.
 */
async function applyEffect(actor: Actor, record: StoredStatement, now: Date) {
  const statement = JSON.parse(record.statement) as Statement;
  const completion = await completionOf(record.providerId, statement, record.stored);
  if (!completion) return;
  const checked = await checkCompletion(actor, { learnerId: completion.learnerId, courseId: completion.courseId, completedOn: completion.completedOn }, now);
  if (checked.ok) await storeCompletion(actor, checked.completion);
}

/**
 * What makes a request's statements inconsistent among themselves (an xAPI 400, checked
 * before anything is read or stored): one id with two contents, or a body id other than
 * the PUT's statementId.
 */
export function inconsistentStatements(statements: readonly Statement[], statementId?: string): string | undefined {
  // Each statement is one item of at most 400 KB: a larger one is refused before any is stored.
  const oversized = statements.findIndex((s) => Buffer.byteLength(JSON.stringify(s)) > MAX_STATEMENT_BYTES);
  if (oversized >= 0) return `statement ${oversized} is over ${MAX_STATEMENT_BYTES / 1024} KiB once serialised; send extensions and definitions by reference`;
  if (statementId !== undefined) {
    const inBody = statements[0]?.id;
    if (inBody !== undefined && inBody.toLowerCase() !== statementId.toLowerCase())
      return 'the statement id in the body differs from the statementId parameter';
    return undefined;
  }
  const digests = new Map<string, string>();
  for (const s of statements) {
    if (s.id === undefined) continue;
    const id = s.id.toLowerCase();
    const d = contentDigest({ ...s, id });
    if (digests.has(id) && digests.get(id) !== d) return `statement id ${id} appears twice in the request with different content`;
    digests.set(id, d);
  }
  return undefined;
}

/**
 * POST (and PUT) /xapi/statements: checks the whole batch before storing any of it: ids
 * repeated with other content, in the batch or against what is stored, are a 409 and
 * nothing is stored; the same statement again is no change. Returns the ids in order.
 */
export async function storeStatements(actor: Actor & { org: string }, statements: readonly Statement[], now: Date): Promise<string[]> {
  const providerId = actor.org;
  const stored = now.toISOString();
  const withIds = statements.map((s) => ({ ...s, id: (s.id ?? randomUUID()).toLowerCase() }));
  // The request is consistent (inconsistentStatements): one content per id.
  const digests = new Map(withIds.map((s) => [s.id, contentDigest(s)]));
  const existing = await getStatements(providerId, [...digests.keys()]);
  for (const [id, d] of digests) {
    const found = existing.get(id);
    if (found && found.contentDigest !== d) throw conflict(`statement ${id} is stored already with other content; statements are immutable`);
  }
  const done = new Set<string>();
  for (const s of withIds) {
    if (done.has(s.id)) continue;
    done.add(s.id);
    const record: StoredStatement = existing.get(s.id) ?? {
      statementId: s.id,
      providerId,
      statement: JSON.stringify(
        withoutPersonalData({ ...s, timestamp: s.timestamp ?? stored, stored, authority: authorityOf(providerId), version: XAPI_VERSION }),
      ),
      contentDigest: digests.get(s.id)!,
      stored,
    };
    const { stored: kept } = existing.has(s.id) ? { stored: record } : await putStatement(record);
    if (kept.contentDigest !== record.contentDigest) throw conflict(`statement ${s.id} is stored already with other content; statements are immutable`);
    // Also for a statement stored before: a retry after a crash finishes its effect.
    await applyEffect(actor, kept, now);
  }
  return withIds.map((s) => s.id);
}

export async function putOneStatement(actor: Actor & { org: string }, statementId: string, statement: Statement, now: Date) {
  await storeStatements(actor, [{ ...statement, id: statementId }], now);
}

export async function readStatements(actor: Actor & { org: string }, query: { statementId?: string | undefined; limit?: number | undefined }) {
  if (query.statementId) {
    const found = (await getStatements(actor.org, [query.statementId.toLowerCase()])).get(query.statementId.toLowerCase());
    if (!found) throw notFound(`No statement ${query.statementId} of yours.`);
    return { one: JSON.parse(found.statement) as Record<string, unknown> };
  }
  const page = await listStatements(actor.org, query.limit ?? 100);
  return { many: { statements: page.items.map((s) => JSON.parse(s.statement) as Record<string, unknown>), more: '' } };
}

/** A course's provider registers the xAPI activity id its learning system reports the course under. */
export async function registerActivity(actor: Actor, courseId: string, activityId: string, now: Date) {
  const course = await getCourse(courseId);
  if (!course) throw notFound(`No course ${courseId}.`);
  if (!actsFor(actor, { org: course.providerId, kind: 'provider' })) throw notFound(`No course ${courseId} of yours.`);
  const { created, stored } = await putActivity(
    { providerId: course.providerId, activityId, courseId, registeredAt: now.toISOString() },
    activityDigest(activityId),
  );
  if (stored.courseId !== courseId) throw conflict(`activity ${activityId} is registered for your course ${stored.courseId}`);
  return { created, registration: stored };
}
