import { organisationKindOf } from '../access';
import { createOrganisation, getOrganisation, replaceOrganisation, type Organisation } from '../data/organisations';
import { forbidden, invalid, notFound } from '../errors';
import type { Actor } from '../identity';
import { normalizeLocalGovernmentCode } from '../ids';

import type { OrganisationInput } from '../schemas/openings';

export { organisationKindOf } from '../access';
export type { OrganisationInput } from '../schemas/openings';

/**
 * The caller's own organisation id, checked: only employer and municipality accounts act
 * for one, and their token must name it.
 */
export function ownOrgId(actor: Actor): string {
  if (!organisationKindOf(actor)) throw forbidden(`The ${actor.role} role does not act for an employer or a municipality.`);
  if (!actor.org) throw forbidden('Your token names no organisation (claim custom:org); ask your administrator to set it.');
  return actor.org;
}

function prefectureOf(code: string, field: string): string {
  const result = normalizeLocalGovernmentCode(code);
  if (!result.ok) throw invalid(`${field}: ${result.reason}`);
  return result.prefecture;
}

/**
 * Registers or replaces the caller's organisation. The identifier in the body must be the
 * one the caller's token acts for, and the kind must be the caller's: an employer account
 * cannot register a municipality, nor another company's corporate number.
 */
export async function registerOwnOrganisation(actor: Actor, input: OrganisationInput, now: Date) {
  const orgId = ownOrgId(actor);
  const kind = organisationKindOf(actor)!;
  if (input.kind !== kind) throw forbidden(`A ${actor.role} account registers an organisation of kind "${kind}", not "${input.kind}".`);
  const id = input.kind === 'employer' ? input.corporateNumber : input.localGovernmentCode;
  if (id !== orgId) {
    const what = input.kind === 'employer' ? 'corporate number' : 'local government code';
    throw forbidden(`Your account acts for organisation ${orgId}: the ${what} must be ${orgId}, not ${id}.`);
  }
  const at = now.toISOString();
  const organisation: Organisation = {
    id,
    kind,
    name: input.name,
    prefecture: input.kind === 'employer' ? prefectureOf(input.headOffice, 'headOffice') : prefectureOf(input.localGovernmentCode, 'localGovernmentCode'),
    ...(input.kind === 'employer' ? { headOffice: input.headOffice } : {}),
    registeredAt: at,
    updatedAt: at,
  };
  if (await createOrganisation(organisation)) return { created: true, view: organisationView(organisation) };
  const previous = await getOrganisation(id);
  const replaced: Organisation = { ...organisation, registeredAt: previous?.registeredAt ?? at };
  await replaceOrganisation(replaced);
  return { created: false, view: organisationView(replaced) };
}

export function organisationView(organisation: Organisation) {
  return organisation;
}

export async function readOwnOrganisation(actor: Actor) {
  const organisation = await getOrganisation(ownOrgId(actor));
  if (!organisation || organisation.kind !== organisationKindOf(actor)) {
    throw notFound('Your organisation is not registered yet: PUT /v1/organisations/me registers it.');
  }
  return organisationView(organisation);
}

/**
 * The caller's registered organisation, for posting openings: 422 until it is registered.
 */
export async function requireOwnOrganisation(actor: Actor): Promise<Organisation> {
  const organisation = await getOrganisation(ownOrgId(actor));
  if (!organisation || organisation.kind !== organisationKindOf(actor)) {
    throw invalid('Your organisation is not registered: register your organisation first with PUT /v1/organisations/me.');
  }
  return organisation;
}
