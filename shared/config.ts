import * as z from 'zod/mini';
import './zod-messages';

/**
 * Configuration, read from the environment once at cold start (module load of the data
 * client and of the token verifier). A missing or malformed setting stops the function
 * from starting, with a message naming the variable, instead of failing on a request.
 * Data and identity settings are separate so that command-line tools need only the first.
 */
const dataEnvironment = z.object({
  TABLE_NAME: z.string().check(z.minLength(3), z.maxLength(255)),
  DYNAMODB_ENDPOINT: z.optional(z.url()),
  AWS_REGION: z._default(z.string(), 'ap-northeast-1'),
});

const authEnvironment = z.object({
  AUTH_ISSUER: z.string().check(z.minLength(1)),
  AUTH_AUDIENCE: z.string().check(z.minLength(1)),
  /** Where the signing keys are published (Cognito's JWKS URL in AWS). */
  AUTH_JWKS_URI: z.optional(z.url()),
  /** The keys themselves, inline: the local host uses its development key this way. */
  AUTH_JWKS: z.optional(z.string()),
});

function parse<T extends z.ZodMiniType>(schema: T, env: Record<string, string | undefined>): z.output<T> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`invalid configuration: ${problems.join('; ')}`);
  }
  return parsed.data;
}

export interface DataConfig {
  tableName: string;
  dynamoEndpoint: string | undefined;
  region: string;
}

export interface AuthConfig {
  issuer: string;
  audience: string;
  jwksUri: string | undefined;
  jwks: unknown;
}

export function loadDataConfig(env: Record<string, string | undefined>): DataConfig {
  const e = parse(dataEnvironment, env);
  return { tableName: e.TABLE_NAME, dynamoEndpoint: e.DYNAMODB_ENDPOINT, region: e.AWS_REGION };
}

export function loadAuthConfig(env: Record<string, string | undefined>): AuthConfig {
  const e = parse(authEnvironment, env);
  if (!e.AUTH_JWKS_URI && !e.AUTH_JWKS) {
    throw new Error('invalid configuration: set AUTH_JWKS_URI (AWS) or AUTH_JWKS (local host)');
  }
  let jwks: unknown;
  if (e.AUTH_JWKS) {
    try {
      jwks = JSON.parse(e.AUTH_JWKS);
    } catch {
      throw new Error('invalid configuration: AUTH_JWKS is not JSON');
    }
  }
  return { issuer: e.AUTH_ISSUER, audience: e.AUTH_AUDIENCE, jwksUri: e.AUTH_JWKS_URI, jwks };
}
