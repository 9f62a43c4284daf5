import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SkillSummary } from '../domain/evidence';
import { db, table } from './client';
import { keys } from './keys';
import { batchGet } from './query';
import { recordOf } from './records';

export type WorkStyle = 'full-time' | 'side-job' | 'dispatch' | 'remote';

export interface LearnerProfile {
  learnerId: string;
  residence: { prefecture: string; municipality: string };
  workPrefectures: string[];
  workStyles: WorkStyle[];
  turn: { intent: 'u-turn' | 'i-turn' | 'j-turn' | 'none'; hometownPrefecture?: string };
  /** `placeFree` is absent on profiles stored before it existed; reads fill it in as false. */
  consent: { matching: boolean; placeFree?: boolean; changedAt: string };
  /** Every consent change, for the audit of who agreed to what and when. */
  consentHistory: { matching: boolean; placeFree?: boolean; at: string }[];
  createdAt: string;
  updatedAt: string;
}

export interface LearnerContact {
  name: string;
  email?: string;
  phone?: string;
}

export interface StoredSkills {
  learnerId: string;
  summary: SkillSummary;
  /** The derivation sequence this was computed at: a later write never loses to an earlier one. */
  basisSeq: number;
  computedAt: string;
  completionCount: number;
}

const strip = <T>(item: Record<string, unknown> | undefined) => (item ? recordOf<T>(item) : undefined);

// A stored profile without place-free consent never chose it: it reads as off, in every view and export.
function profileOf(item: Record<string, unknown> | undefined): LearnerProfile | undefined {
  const profile = strip<LearnerProfile>(item);
  if (!profile) return undefined;
  return {
    ...profile,
    consent: { ...profile.consent, placeFree: profile.consent.placeFree === true },
    consentHistory: profile.consentHistory.map((entry) => ({ ...entry, placeFree: entry.placeFree === true })),
  };
}

export async function getLearnerProfile(learnerId: string): Promise<LearnerProfile | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table, Key: keys.learnerProfile(learnerId), ConsistentRead: true }));
  return profileOf(Item);
}

export async function getLearnerProfiles(learnerIds: readonly string[]): Promise<LearnerProfile[]> {
  const items = await batchGet<Record<string, unknown>>([...new Set(learnerIds)].map((id) => keys.learnerProfile(id)));
  return items.map((item) => profileOf(item)!);
}

export async function putLearnerProfile(profile: LearnerProfile): Promise<void> {
  await db.send(new PutCommand({ TableName: table, Item: { ...keys.learnerProfile(profile.learnerId), ...profile } }));
}

export async function getLearnerContact(learnerId: string): Promise<LearnerContact | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table, Key: keys.learnerContact(learnerId) }));
  return strip<LearnerContact>(Item);
}

export async function putLearnerContact(learnerId: string, contact: LearnerContact): Promise<void> {
  await db.send(new PutCommand({ TableName: table, Item: { ...keys.learnerContact(learnerId), ...contact } }));
}

export async function getLearnerSkills(learnerId: string): Promise<StoredSkills | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table, Key: keys.learnerSkills(learnerId) }));
  return strip<StoredSkills>(Item);
}

/** Next number in the learner's derivation sequence; taken before reading the completions. */
export async function nextDerivationSeq(learnerId: string): Promise<number> {
  const { Attributes } = await db.send(
    new UpdateCommand({
      TableName: table,
      Key: keys.learnerDerivation(learnerId),
      UpdateExpression: 'ADD seq :one',
      ExpressionAttributeValues: { ':one': 1 },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return Attributes!.seq as number;
}

/** Stores derived skills unless a derivation that started later has already stored its own. */
export async function putLearnerSkills(skills: StoredSkills): Promise<boolean> {
  try {
    await db.send(
      new PutCommand({
        TableName: table,
        Item: { ...keys.learnerSkills(skills.learnerId), ...skills },
        ConditionExpression: 'attribute_not_exists(pk) OR basisSeq < :seq',
        ExpressionAttributeValues: { ':seq': skills.basisSeq },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** Erasure (APPI): the profile, the contact details and the derived skills of a learner. */
export async function deleteLearnerPersonalItems(learnerId: string): Promise<void> {
  for (const key of [keys.learnerContact(learnerId), keys.learnerProfile(learnerId), keys.learnerSkills(learnerId)]) {
    await db.send(new DeleteCommand({ TableName: table, Key: key }));
  }
}
