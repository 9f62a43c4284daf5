import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Actor } from '../identity';
import { db, table } from './client';
import { itemOf, partition, primary, recordOf } from './entity';
import { queryPage, type Page, type PageRequest } from './query';
import { batchPut } from './records';

/**
 * The audit trail: who did or read what about whom, and when. One partition per subject
 * (a learner, an opening, a match run), so "who touched this" is one query. Entries hold
 * ids only, never personal data.
 */
export interface AuditEvent {
  at: string;
  actor: { sub: string; role: string; prefecture?: string; org?: string };
  action: string;
  subject: string;
  details?: Record<string, string | number | boolean>;
}

/** Whom an audit event is about: each subject's events are one partition. */
export const auditSubject = {
  /** A learner: their access log, which their export shows. */
  learner: (learnerId: string) => `LEARNER#${learnerId}`,
  opening: (openingId: string) => `OPENING#${openingId}`,
  proposal: (proposalId: string) => `PROPOSAL#${proposalId}`,
  matchRun: (runId: string) => `MATCHRUN#${runId}`,
  matchCycle: (cycleId: string) => `MATCHCYCLE#${cycleId}`,
  /** A course: its accreditation requests, decisions and suspensions. */
  course: (courseId: string) => `COURSE#${courseId}`,
  /** A training provider: the xAPI client keys issued to it. */
  provider: (providerId: string) => `PROVIDER#${providerId}`,
  /** The registry of trusted credential issuers: who added or replaced an entry. */
  trustedIssuers: () => 'TRUSTEDISSUERS',
};

/** An audit event: in its subject's partition, by time (a random suffix keeps events of the same instant apart). */
const auditEvent = {
  entity: 'audit-event',
  key: (subject: string, at: string) => ({ pk: `AUDIT#${subject}`, sk: `${at}#${randomUUID()}` }),
  ofSubject: (subject: string) => partition(primary, `AUDIT#${subject}`),
};

function auditItem(actor: Actor, action: string, subject: string, at: Date, details?: AuditEvent['details']) {
  const event: AuditEvent = {
    at: at.toISOString(),
    actor: { sub: actor.sub, role: actor.role, ...(actor.prefecture ? { prefecture: actor.prefecture } : {}), ...(actor.org ? { org: actor.org } : {}) },
    action,
    subject,
    ...(details ? { details } : {}),
  };
  return itemOf(auditEvent.entity, [auditEvent.key(subject, event.at)], event);
}

export async function recordAudit(actor: Actor, action: string, subject: string, at: Date, details?: AuditEvent['details']): Promise<void> {
  await db.send(new PutCommand({ TableName: table(), Item: auditItem(actor, action, subject, at, details) }));
}

/** One action on many subjects (a list shown to someone), written in batches. */
export async function recordAuditOfMany(
  actor: Actor,
  action: string,
  events: readonly { subject: string; details?: AuditEvent['details'] }[],
  at: Date,
): Promise<void> {
  await batchPut(events.map((e) => auditItem(actor, action, e.subject, at, e.details)));
}

/** Proposals show a person's skills and residence: each one shown to someone else is in that person's access log. */
export const auditProposalReads = (actor: Actor, proposals: readonly { proposalId: string; learnerId: string }[], at: Date) =>
  recordAuditOfMany(
    actor,
    'read-proposal',
    proposals.map((p) => ({ subject: auditSubject.learner(p.learnerId), details: { proposalId: p.proposalId } })),
    at,
  );

export async function listAudit(subject: string, request: PageRequest<AuditEvent>): Promise<Page<AuditEvent>> {
  return queryPage({ partition: auditEvent.ofSubject(subject), entity: (item) => recordOf<AuditEvent>(auditEvent.entity, item), ...request });
}
