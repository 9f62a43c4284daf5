import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  UserPoolEmail,
  type UserPoolProps,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { staffRoles } from '../../shared/identity';
import type { CognitoEmailSettings } from '../environments';

/**
 * Who is who, in two Cognito user pools, both trusted by the API:
 * - learners sign up themselves; every token of this pool is a learner's, whatever the
 *   account wrote (the pool has no role, prefecture or organisation attribute at all);
 * - staff (provider, employer, municipality, center, admin) are created by administrators
 *   only, must use TOTP MFA, hold their role as one Cognito group (groups are assigned
 *   only with administrator APIs) and their prefecture or organisation in custom
 *   attributes that no app client may write.
 * MFA is a pool-wide setting in Cognito, which is why staff have a pool of their own.
 * Both pools send their mail (verification codes, password resets, staff invitations)
 * through SES from the sender the environment's context names.
 * The pools are state (accounts, passwords, MFA secrets): they live in the data stack; the
 * API's authorizers, which trust them, in the stateless stack (authorizers.ts).
 */
export class Identity extends Construct {
  readonly learnerPool: UserPool;
  readonly staffPool: UserPool;
  readonly learnerClient: UserPoolClient;
  readonly staffClient: UserPoolClient;

  constructor(scope: Construct, id: string, props: { email?: CognitoEmailSettings } = {}) {
    super(scope, id);
    const common: UserPoolProps = {
      // Cognito's own sender allows about 50 mails a day: enough to try a dev stack, never to
      // run one. infra/environments.ts requires the SES sender outside dev; in dev, without
      // one, the pools fall back to Cognito's sender.
      email: props.email ? UserPoolEmail.withSES({ ...props.email }) : UserPoolEmail.withCognito(),
      signInAliases: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      autoVerify: { email: true },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      removalPolicy: RemovalPolicy.RETAIN,
    };
    // Feature plans, per pool. Learners: Essentials, what new pools get and what email-code
    // MFA or passwordless sign-in would need; not Plus, whose threat protection would bill
    // every active learner (up to 2.3 million a month) for accounts that can reach no one
    // else's data. Lite would carry today's features (SRP, optional TOTP, email) for less:
    // a cost decision for docs/capacity.md. Staff: Plus, with threat protection enforced
    // (compromised-credential checks, adaptive authentication): few accounts, each able to
    // read personal data or start rounds, where a stolen password matters most.
    this.learnerPool = new UserPool(this, 'Learners', { ...common, featurePlan: FeaturePlan.ESSENTIALS, selfSignUpEnabled: true, mfa: Mfa.OPTIONAL });
    this.staffPool = new UserPool(this, 'Staff', {
      ...common,
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      selfSignUpEnabled: false,
      mfa: Mfa.REQUIRED,
      customAttributes: {
        prefecture: new StringAttribute({ mutable: true, minLen: 2, maxLen: 2 }),
        org: new StringAttribute({ mutable: true, minLen: 3, maxLen: 64 }),
      },
    });
    for (const role of staffRoles) this.staffPool.addGroup(`Group-${role}`, { groupName: role, description: `kanryu role: ${role}` });

    // An absent write list means "every mutable attribute", custom ones included: name
    // exactly what a person may edit about themselves.
    const clientDefaults = {
      authFlows: { userSrp: true },
      disableOAuth: true,
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
    };
    this.learnerClient = this.learnerPool.addClient('ApiClient', {
      ...clientDefaults,
      writeAttributes: new ClientAttributes().withStandardAttributes({ email: true }),
    });
    this.staffClient = this.staffPool.addClient('ApiClient', {
      ...clientDefaults,
      // email is required in the pool, and Cognito refuses a client that cannot write a required attribute.
      writeAttributes: new ClientAttributes().withStandardAttributes({ email: true, fullname: true }),
    });

    this.acknowledgeReviewedFindings();
  }

  private acknowledgeReviewedFindings() {
    Validations.of(this.learnerPool.node.defaultChild!).acknowledge({
      id: 'AwsSolutions::AwsSolutions-COG8',
      reason:
        "Learners are on Essentials: Plus would bill threat protection for up to 2.3 million monthly learners whose accounts reach no one else's data; sign-in is SRP with a strong password policy and optional TOTP. The staff pool is on Plus with threat protection enforced.",
    });
    Validations.of(this.learnerPool.node.defaultChild!).acknowledge({
      id: 'AwsSolutions::AwsSolutions-COG2',
      reason:
        'Learners sign up from the public and hold no power over others: TOTP MFA is offered, not required. Every staff role lives in the staff pool, where MFA is required.',
    });
  }
}
