import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import * as z from 'zod/mini';
import { acknowledgeReviewedFindings } from './nag-acknowledgements';
import { KanryuDataStack } from './stacks/data-stack';
import { KanryuStack } from './stacks/kanryu-stack';

/**
 * Deployment environments (dev, staging, production), each fully described by CDK context
 * (cdk.json `kanryu:environments`), chosen with `-c env=<name>` (dev by default).
 *
 * The region comes from that context only, never from CDK_DEFAULT_REGION or the CLI
 * profile: kanryu holds personal data of Japanese residents, and where it is stored is a
 * decision of the deployment's configuration, not of whoever runs the CLI.
 */
export const environmentNames = ['dev', 'staging', 'production'] as const;
export type EnvironmentName = (typeof environmentNames)[number];

const email = z.strictObject({
  /** A verified SES identity: the address itself, or an address of `sesVerifiedDomain`. */
  fromEmail: z.email(),
  fromName: z.optional(z.string()),
  replyTo: z.optional(z.email()),
  sesVerifiedDomain: z.optional(z.string()),
});

const settingsSchema = z.strictObject({
  region: z.string().check(z.regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region such as ap-northeast-1')),
  stackNameSuffix: z.string().check(z.regex(/^[A-Za-z][A-Za-z0-9-]*$/, 'letters, digits and hyphens')),
  apiThrottle: z.strictObject({ rateLimit: z.number().check(z.positive()), burstLimit: z.int().check(z.positive()) }),
  /** Subscribed to the alarm topic (SNS asks the address to confirm). */
  alarmEmail: z.optional(z.email()),
  /** How Cognito sends mail: through SES from this sender. Required outside dev. */
  email: z.optional(email),
});

export type CognitoEmailSettings = z.output<typeof email>;
export type EnvironmentSettings = z.output<typeof settingsSchema> & { name: EnvironmentName; stackName: string };

// Documentation domains (RFC 2606, JPRS): the cdk.json placeholder, never a real sender.
const placeholderDomain = /(^|\.)(example|test|invalid|localhost)(\.(com|net|org|jp))?$/i;

/** The settings of the environment the context names; throws a message naming the setting at fault. */
export function environmentSettings(context: (key: string) => unknown): EnvironmentSettings {
  const name = String(context('env') ?? 'dev');
  if (!(environmentNames as readonly string[]).includes(name)) throw new Error(`CDK context env=${name}: expected one of ${environmentNames.join(', ')}`);
  const all = (context('kanryu:environments') ?? {}) as Record<string, unknown>;
  const key = `kanryu:environments.${name}`;
  if (!all[name]) throw new Error(`CDK context ${key} is missing (cdk.json)`);
  const parsed = z.safeParse(settingsSchema, all[name]);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${[key, ...i.path].join('.')}: ${i.message}`);
    throw new Error(`invalid CDK context: ${problems.join('; ')}`);
  }
  const settings = parsed.data;
  if (name !== 'dev') {
    // Cognito's own sender allows about 50 mails a day: enough to try a dev stack, not to run one.
    if (!settings.email) throw new Error(`CDK context ${key}.email is required: Cognito sends mail through SES outside dev (README, Deploy)`);
    const domain = settings.email.fromEmail.split('@')[1]!;
    if (placeholderDomain.test(domain)) throw new Error(`CDK context ${key}.email.fromEmail is a placeholder (${domain}): name a verified SES identity`);
  }
  return { ...settings, name: name as EnvironmentName, stackName: `Kanryu-${settings.stackNameSuffix}` };
}

/**
 * The CDK app: two stacks for the chosen environment, in the region its context names, with
 * cdk-nag's AWS Solutions checks. `Kanryu-<suffix>` holds the state (table, keys, user
 * pools; termination protected), `Kanryu-<suffix>-api` everything rebuilt from the code,
 * its routes in nested stacks; `cdk deploy --all` deploys them in that order.
 * `infra/app.ts` runs it; tests call it with their context.
 */
export function createApp(props: AppProps = {}) {
  const app = new App(props);
  const settings = environmentSettings((key) => app.node.tryGetContext(key));
  const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: settings.region };
  const data = new KanryuDataStack(app, settings.stackName, {
    env,
    description: `kanryu (${settings.name}): skills matching for regional digital talent - data and identity (stateful)`,
    settings,
  });
  const stack = new KanryuStack(app, `${settings.stackName}-api`, {
    env,
    description: `kanryu (${settings.name}): skills matching for regional digital talent - API, functions, workflows, edge, alarms (stateless)`,
    settings,
    dataStackName: data.stackName,
  });
  // The API stack imports the data stack's named exports (data-stack.ts): deploy that first.
  stack.addStackDependency(data);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  acknowledgeReviewedFindings(stack);
  return { app, stack, data, settings };
}
