import * as z from 'zod/mini';
import { courseId, learnerId, text } from './fields';
import { queryInteger } from './query';

/**
 * xAPI 1.0.3 (IEEE 9274.1.1) statements, as far as the LRS needs to check them: every
 * top-level property and the objects the service reads are strict (the specification
 * asks an LRS to refuse properties it does not define); definitions, extensions and
 * sub-statements are kept as sent. Built on first use (z.lazy).
 */
const uuid = z.string().check(z.regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i, 'a UUID (RFC 4122)'));
const iri = z.string().check(z.maxLength(2048), z.regex(/^[a-z][a-z0-9+.-]*:[^\s]+$/i, 'an IRI with a scheme, e.g. https://example.jp/activity/1'));
const languageMap = z.record(
  z.string().check(z.regex(/^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/, 'a language tag like ja-JP')),
  z.string().check(z.maxLength(1000)),
);
const extensions = z.record(iri, z.unknown());
const dateTime = z.string().check(
  z.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/, 'an ISO 8601 date-time with a time zone'),
  z.refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO 8601 date-time with a time zone'),
);

const account = z.strictObject({ homePage: iri, name: text(256) });
const identifiers = {
  name: z.optional(z.string().check(z.maxLength(256))),
  mbox: z.optional(z.string().check(z.regex(/^mailto:[^\s@]+@[^\s@]+$/, 'mbox is mailto:<address>'), z.maxLength(320))),
  mbox_sha1sum: z.optional(z.string().check(z.regex(/^[0-9a-f]{40}$/i, 'a SHA-1 hex digest'))),
  openid: z.optional(iri),
  account: z.optional(account),
};
const ifiCount = (a: { mbox?: unknown; mbox_sha1sum?: unknown; openid?: unknown; account?: unknown }) =>
  [a.mbox, a.mbox_sha1sum, a.openid, a.account].filter((v) => v !== undefined).length;
const agent = z
  .strictObject({ objectType: z.optional(z.literal('Agent')), ...identifiers })
  .check(z.refine((a) => ifiCount(a) === 1, 'an Agent has exactly one of mbox, mbox_sha1sum, openid, account'));
const group = z
  .strictObject({ objectType: z.literal('Group'), ...identifiers, member: z.optional(z.array(agent).check(z.maxLength(100))) })
  .check(
    z.refine((g) => ifiCount(g) <= 1 && (ifiCount(g) === 1 || (g.member?.length ?? 0) > 0), 'a Group has at most one identifier, and members if it has none'),
  );
const actor = z.union([group, agent]);

const activity = z.strictObject({
  objectType: z.optional(z.literal('Activity')),
  id: iri,
  definition: z.optional(z.record(z.string(), z.unknown())),
});
const statementRef = z.strictObject({ objectType: z.literal('StatementRef'), id: uuid });
const subStatement = z.looseObject({
  objectType: z.literal('SubStatement'),
  actor,
  verb: z.looseObject({ id: iri }),
  object: z.record(z.string(), z.unknown()),
});

const result = z.strictObject({
  score: z.optional(
    z.strictObject({
      scaled: z.optional(z.number().check(z.gte(-1), z.lte(1))),
      raw: z.optional(z.number()),
      min: z.optional(z.number()),
      max: z.optional(z.number()),
    }),
  ),
  success: z.optional(z.boolean()),
  completion: z.optional(z.boolean()),
  response: z.optional(z.string().check(z.maxLength(10_000))),
  duration: z.optional(
    z
      .string()
      .check(
        z.regex(
          /^P(?!$)(\d+(\.\d+)?Y)?(\d+(\.\d+)?M)?(\d+(\.\d+)?W)?(\d+(\.\d+)?D)?(T(?!$)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$/,
          'an ISO 8601 duration like PT1H30M',
        ),
      ),
  ),
  extensions: z.optional(extensions),
});

const contextActivities = z.strictObject({
  parent: z.optional(z.union([activity, z.array(activity)])),
  grouping: z.optional(z.union([activity, z.array(activity)])),
  category: z.optional(z.union([activity, z.array(activity)])),
  other: z.optional(z.union([activity, z.array(activity)])),
});
const context = z.strictObject({
  registration: z.optional(uuid),
  instructor: z.optional(actor),
  team: z.optional(group),
  contextActivities: z.optional(contextActivities),
  revision: z.optional(z.string().check(z.maxLength(256))),
  platform: z.optional(z.string().check(z.maxLength(256))),
  language: z.optional(z.string().check(z.maxLength(35))),
  statement: z.optional(statementRef),
  extensions: z.optional(extensions),
});

export const statement = z.strictObject({
  id: z.optional(uuid),
  actor,
  verb: z.strictObject({ id: iri, display: z.optional(languageMap) }),
  object: z.union([activity, statementRef, subStatement, group, agent]),
  result: z.optional(result),
  context: z.optional(context),
  timestamp: z.optional(dateTime),
  // Set by the LRS whatever a client sends (stored, authority); version 1.0.x only.
  stored: z.optional(dateTime),
  authority: z.optional(z.record(z.string(), z.unknown())),
  version: z.optional(z.string().check(z.regex(/^1\.0(\.\d+)?$/, 'xAPI version 1.0.x'))),
});
export type Statement = z.output<typeof statement>;

/** Statements per POST: a learning system sends more in several requests. */
export const MAX_STATEMENTS_PER_REQUEST = 50;

export const postStatementsBody = z.lazy(() =>
  z.union([
    statement,
    z.array(statement).check(z.minLength(1), z.maxLength(MAX_STATEMENTS_PER_REQUEST, `at most ${MAX_STATEMENTS_PER_REQUEST} statements per request`)),
  ]),
);
export const putStatementBody = z.lazy(() => statement);
export const putStatementQuery = z.strictObject({ statementId: uuid });
export const getStatementsQuery = z.strictObject({
  statementId: z.optional(uuid),
  limit: z.optional(queryInteger(/^\d{1,3}$/, 'limit is a whole number from 1 to 100', { min: 1, max: 100 })),
});

export const registerActivityParams = z.strictObject({ courseId });
export const registerActivityBody = z.lazy(() => z.strictObject({ activityId: iri }));

/** A provider's word on which learner an account name of its learning system is (xAPI `actor.account.name`). */
export const lmsAccountBody = z.lazy(() =>
  z.strictObject({
    accountName: z
      .string()
      .check(
        z.minLength(1),
        z.maxLength(256),
        z.regex(
          /^[^\s\u0000-\u001f\u007f](?:[^\u0000-\u001f\u007f]*[^\s\u0000-\u001f\u007f])?$/,
          'an account name has no control characters and no leading or trailing spaces',
        ),
      ),
    learnerId,
  }),
);
export const lmsAccountMapped = z.lazy(() => z.object({ accountName: z.string(), learnerId: z.string() }));

export const statementIds = z.lazy(() => z.array(z.string()));
export const statementDocument = z.lazy(() => z.record(z.string(), z.unknown()));
export const statementResult = z.lazy(() => z.object({ statements: z.array(z.record(z.string(), z.unknown())), more: z.string() }));
export const about = z.lazy(() => z.object({ version: z.array(z.string()), extensions: z.record(z.string(), z.unknown()) }));
export const lrsClientIssued = z.lazy(() =>
  z.object({ key: z.string(), secret: z.string(), providerId: z.string(), endpoint: z.string(), createdAt: z.string() }),
);
export const activityRegistration = z.lazy(() => z.object({ providerId: z.string(), activityId: z.string(), courseId: z.string(), registeredAt: z.string() }));
