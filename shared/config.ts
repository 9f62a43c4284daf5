import * as z from 'zod/mini';

/**
 * Configuration of a running function, read from the environment once at cold start.
 * A missing or malformed setting stops the function from starting, with a message naming
 * the variable, instead of failing later on a request path.
 */
const environment = z.object({
  TABLE_NAME: z.string().check(z.minLength(3)),
  DYNAMODB_ENDPOINT: z.optional(z.url()),
  AWS_REGION: z._default(z.string(), 'ap-northeast-1'),
  AUTH_ISSUER: z.string().check(z.minLength(1)),
  AUTH_AUDIENCE: z.string().check(z.minLength(1)),
  /** Where the signing keys are published (Cognito's JWKS URL in AWS). */
  AUTH_JWKS_URI: z.optional(z.url()),
  /** The keys themselves, inline: the local host uses its development key this way. */
  AUTH_JWKS: z.optional(z.string()),
});

export type Config = {
  tableName: string;
  dynamoEndpoint: string | undefined;
  region: string;
  auth: { issuer: string; audience: string; jwksUri: string | undefined; jwks: unknown };
};

export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = environment.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`invalid configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
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
  return {
    tableName: e.TABLE_NAME,
    dynamoEndpoint: e.DYNAMODB_ENDPOINT,
    region: e.AWS_REGION,
    auth: { issuer: e.AUTH_ISSUER, audience: e.AUTH_AUDIENCE, jwksUri: e.AUTH_JWKS_URI, jwks },
  };
}

let loaded: Config | undefined;

/** The process's configuration, validated on first use (module load of a handler). */
export function config(): Config {
  loaded ??= loadConfig(process.env);
  return loaded;
}
