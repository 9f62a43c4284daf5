import { b64url } from './jws';
import { STATUS_LIST_LENGTH, encodeStatusList } from './status-list';
import { publicBaseUrl } from './settings';
import type { PublishedKey, Signer } from './signing-keys';

/**
 * Open Badges 3.0 credentials (an OpenBadgeCredential is a W3C Verifiable Credential, Data
 * Model 2.0), secured with the OB 3.0 JWT proof format: a compact JWS, ES256, whose
 * payload is the credential itself plus the registered claims iss, jti, sub, nbf (and
 * exp when it expires), and whose header names the key by a `kid` URL.
 */
export const VC_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
export const OB_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';

export const ISSUER_NAME = 'デジタル推進人材 育成・還流プログラム (kanryu)';

export const credentialUrls = () => {
  const base = publicBaseUrl();
  return {
    issuer: `${base}/v1/credentials/issuer`,
    jwks: `${base}/.well-known/jwks.json`,
    statusList: (list: number) => `${base}/v1/credentials/status/${list}`,
    catalog: (version: string) => `${base}/v1/catalog/${version}`,
    role: (version: string, roleId: string) => `${base}/v1/catalog/${version}/roles/${roleId}`,
    course: (courseId: string) => `${base}/v1/courses/${courseId}`,
  };
};

/** The subject of a learner's credentials: their random account id, never a name or e-mail. */
export const learnerSubjectId = (learnerId: string) => `urn:kanryu:learner:${learnerId}`;

export interface Alignment {
  type: ['Alignment'];
  targetName: string;
  targetUrl: string;
  targetCode: string;
  targetFramework: string;
  targetType?: string;
  targetDescription?: string;
}

export interface AchievementDefinition {
  /** The achievement's key: qualified:<rule>, role-ready:<version>:<role>, course:<courseId>. */
  key: string;
  name: string;
  description: string;
  criteria: string;
  achievementType: string;
  alignment: Alignment[];
  /** Japan date the achievement was first held. */
  heldSince: string;
  evidence: { id: string; name: string; narrative: string }[];
}

export function issuerProfile(keys: readonly PublishedKey[]) {
  const urls = credentialUrls();
  return {
    '@context': [VC_CONTEXT, OB_CONTEXT],
    id: urls.issuer,
    type: ['Profile'],
    name: ISSUER_NAME,
    url: publicBaseUrl(),
    description:
      'The national programme for digital promotion talent (Digital Garden City Nation): credentials for qualification under the counting rule, DSS-P role readiness and accredited course completions.',
    /** Where verifiers find the keys (also in the JWT header's kid). */
    jwks_uri: urls.jwks,
    verificationMethod: keys.map((k) => ({ id: k.kid, type: 'JsonWebKey', controller: urls.issuer, publicKeyJwk: k.jwk })),
  };
}

export function openBadgeCredential(input: {
  credentialId: string;
  learnerId: string;
  achievement: AchievementDefinition;
  statusList: number;
  statusIndex: number;
  issuedAt: Date;
}) {
  const urls = credentialUrls();
  const a = input.achievement;
  return {
    '@context': [VC_CONTEXT, OB_CONTEXT],
    id: input.credentialId,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: a.name,
    issuer: { id: urls.issuer, type: ['Profile'], name: ISSUER_NAME },
    // The day the achievement was first held, at its start in Japan; never before it was issued for.
    validFrom: `${a.heldSince}T00:00:00+09:00`,
    credentialSubject: {
      id: learnerSubjectId(input.learnerId),
      type: ['AchievementSubject'],
      achievement: {
        id: `urn:kanryu:achievement:${a.key}`,
        type: ['Achievement'],
        achievementType: a.achievementType,
        name: a.name,
        description: a.description,
        criteria: { narrative: a.criteria },
        alignment: a.alignment,
        inLanguage: 'ja',
      },
    },
    evidence: a.evidence.map((e) => ({ id: e.id, type: ['Evidence'], name: e.name, narrative: e.narrative })),
    credentialStatus: {
      id: `${urls.statusList(input.statusList)}#${input.statusIndex}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: String(input.statusIndex),
      statusListCredential: urls.statusList(input.statusList),
    },
    awardedDate: input.issuedAt.toISOString(),
  };
}

/** The JWT claims OB 3.0 asks for beside the credential, then the compact JWS. */
export async function signCredential(
  signer: Signer,
  credential: Record<string, unknown> & { id: string; validFrom: string; validUntil?: string },
  subject?: string,
): Promise<string> {
  const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);
  const payload = {
    ...credential,
    iss: credentialUrls().issuer,
    jti: credential.id,
    ...(subject ? { sub: subject } : {}),
    nbf: seconds(credential.validFrom),
    ...(credential.validUntil ? { exp: seconds(credential.validUntil) } : {}),
  };
  const header = { alg: 'ES256', typ: 'JWT', kid: await signer.currentKid() };
  const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  return `${signingInput}.${b64url(await signer.sign(signingInput))}`;
}

export function statusListCredential(list: number, revoked: readonly number[], at: Date) {
  const urls = credentialUrls();
  return {
    '@context': [VC_CONTEXT],
    id: urls.statusList(list),
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: urls.issuer,
    validFrom: at.toISOString(),
    credentialSubject: {
      id: `${urls.statusList(list)}#list`,
      type: 'BitstringStatusList',
      statusPurpose: 'revocation',
      encodedList: encodeStatusList(revoked),
    },
  };
}

export { STATUS_LIST_LENGTH };
