import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType, HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { AccountRecovery, ClientAttributes, Mfa, StringAttribute, UserPool, type UserPoolClient, type UserPoolProps } from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { staffRoles, type Role } from '../../shared/identity';
import { KanryuFunction } from './kanryu-function';

/**
 * Who is who, in two Cognito user pools, both trusted by the API:
 * - learners sign up themselves; every token of this pool is a learner's, whatever the
 *   account wrote (the pool has no role, prefecture or organisation attribute at all);
 * - staff (provider, employer, municipality, center, admin) are created by administrators
 *   only, must use TOTP MFA, hold their role as one Cognito group (groups are assigned
 *   only with administrator APIs) and their prefecture or organisation in custom
 *   attributes that no app client may write.
 * MFA is a pool-wide setting in Cognito, which is why staff have a pool of their own.
 */
export class Identity extends Construct {
  readonly learnerPool: UserPool;
  readonly staffPool: UserPool;
  readonly learnerClient: UserPoolClient;
  readonly staffClient: UserPoolClient;
  /** The settings every function verifying tokens reads (shared/config.ts). */
  readonly environment: Record<string, string>;
  /** The Lambda authorizer for routes both pools call. */
  readonly authorizerFunction: KanryuFunction;
  private readonly authorizers: { learner: IHttpRouteAuthorizer; staff: IHttpRouteAuthorizer; either: IHttpRouteAuthorizer };

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const common: UserPoolProps = {
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
    this.learnerPool = new UserPool(this, 'Learners', { ...common, selfSignUpEnabled: true, mfa: Mfa.OPTIONAL });
    this.staffPool = new UserPool(this, 'Staff', {
      ...common,
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

    this.environment = {
      AUTH_LEARNER_ISSUER: this.learnerPool.userPoolProviderUrl,
      AUTH_LEARNER_AUDIENCE: this.learnerClient.userPoolClientId,
      AUTH_STAFF_ISSUER: this.staffPool.userPoolProviderUrl,
      AUTH_STAFF_AUDIENCE: this.staffClient.userPoolClientId,
    };

    // One JWT authorizer trusts one issuer: routes open to both pools go through a small
    // Lambda authorizer that runs the handlers' own verification.
    this.authorizerFunction = new KanryuFunction(this, 'Authorizer', {
      entry: 'auth/authorizer',
      description: 'Verifies a bearer token from either user pool for routes both learners and staff call',
      environment: this.environment,
    });
    this.authorizers = {
      learner: new HttpUserPoolAuthorizer('Learners', this.learnerPool, { userPoolClients: [this.learnerClient] }),
      staff: new HttpUserPoolAuthorizer('Staff', this.staffPool, { userPoolClients: [this.staffClient] }),
      either: new HttpLambdaAuthorizer('EitherPool', this.authorizerFunction.function, {
        responseTypes: [HttpLambdaResponseType.SIMPLE],
        identitySource: ['$request.header.Authorization'],
        resultsCacheTtl: Duration.minutes(5),
      }),
    };
    this.acknowledgeReviewedFindings();
  }

  /** The gateway authorizer for a route callable by these roles. */
  authorizerFor(roles: readonly Role[]): IHttpRouteAuthorizer {
    const learners = roles.includes('learner');
    const staff = roles.some((role) => role !== 'learner');
    if (learners && staff) return this.authorizers.either;
    return learners ? this.authorizers.learner : this.authorizers.staff;
  }

  private acknowledgeReviewedFindings() {
    for (const pool of [this.learnerPool, this.staffPool]) {
      Validations.of(pool.node.defaultChild!).acknowledge({
        id: 'AwsSolutions::AwsSolutions-COG8',
        reason:
          'The Plus feature plan (threat protection) is a cost decision left to the operator; sign-in is SRP with a strong password policy, and TOTP MFA (required for staff).',
      });
    }
    Validations.of(this.learnerPool.node.defaultChild!).acknowledge({
      id: 'AwsSolutions::AwsSolutions-COG2',
      reason:
        'Learners sign up from the public and hold no power over others: TOTP MFA is offered, not required. Every staff role lives in the staff pool, where MFA is required.',
    });
  }
}
