import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadOrCreateDevKey, signDevToken } from '../infra/local/dev-key';
import { isRole, organisationIdOf, roles, subject } from '../shared/identity';
import { isPrefectureCode } from '../shared/ids';

/**
 * `npm run token -- --role center --prefecture 13 --sub demo-center` prints a development
 * token the local host accepts (signed with the key in .data/).
 */
const usage = `usage: npm run token -- --role <${roles.join('|')}> [--sub <id>] [--prefecture 01..47] [--org <id>] [--hours 12]`;

function fail(message: string): never {
  console.error(`${message}\n${usage}`);
  process.exit(2);
}

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        role: { type: 'string' },
        sub: { type: 'string' },
        prefecture: { type: 'string' },
        org: { type: 'string' },
        hours: { type: 'string', default: '12' },
      },
    });
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
})();

if (!isRole(values.role)) fail(`--role must be one of ${roles.join(', ')}`);
const role = values.role;
// The same rules the API applies to a token's claims (shared/identity.ts).
const sub = values.sub ?? `demo-${role}`;
if (!subject.safeParse(sub).success) fail('--sub must be 1-64 letters, digits or hyphens (Cognito subs are UUIDs)');
if (role === 'center' && !isPrefectureCode(values.prefecture)) fail('a center token needs --prefecture 01..47');
if (values.prefecture !== undefined && !isPrefectureCode(values.prefecture)) fail('--prefecture must be 01..47');
if (role === 'provider' || role === 'employer' || role === 'municipality') {
  const org = organisationIdOf[role].safeParse(values.org);
  if (!org.success) fail(`a ${role} token needs --org: ${org.error.issues[0]?.message ?? 'a provider id, corporate number or local government code'}`);
}
const hours = Number(values.hours);
if (!Number.isFinite(hours) || hours <= 0 || hours > 24 * 30) fail('--hours must be between 0 and 720');

const key = await loadOrCreateDevKey(join(process.env.KANRYU_DATA_DIR ?? join(process.cwd(), '.data'), 'dev-signing-key.json'));
const token = await signDevToken(key, {
  sub,
  role,
  ...(values.prefecture ? { prefecture: values.prefecture } : {}),
  ...(values.org ? { org: values.org } : {}),
  expiresIn: Math.round(hours * 3600),
});
process.stdout.write(`${token}\n`);
