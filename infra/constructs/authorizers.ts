import { Duration } from 'aws-cdk-lib';
import type { IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType, HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import type { Role } from '../../shared/identity';
import { KanryuFunction } from './kanryu-function';

export interface AuthorizersProps {
  learnerPool: IUserPool;
  learnerClient: IUserPoolClient;
  staffPool: IUserPool;
  staffClient: IUserPoolClient;
  /** The settings every function verifying tokens reads (shared/config.ts). */
  environment: Record<string, string>;
}

/**
 * The API's gateway authorizers over the two user pools of the data stack (identity.ts).
 * CDK creates each under the API, so in the API's stack, when a route first uses it,
 * whichever nested stack that route is in.
 */
export class Authorizers extends Construct {
  /** The Lambda authorizer for routes both pools call. */
  readonly authorizerFunction: KanryuFunction;
  private readonly authorizers: { learner: IHttpRouteAuthorizer; staff: IHttpRouteAuthorizer; either: IHttpRouteAuthorizer };

  constructor(scope: Construct, id: string, props: AuthorizersProps) {
    super(scope, id);
    // One JWT authorizer trusts one issuer: routes open to both pools go through a small
    // Lambda authorizer that runs the handlers' own verification.
    this.authorizerFunction = new KanryuFunction(this, 'Authorizer', {
      entry: 'auth/authorizer',
      description: 'Verifies a bearer token from either user pool for routes both learners and staff call',
      environment: props.environment,
    });
    this.authorizers = {
      learner: new HttpUserPoolAuthorizer('Learners', props.learnerPool, { userPoolClients: [props.learnerClient] }),
      staff: new HttpUserPoolAuthorizer('Staff', props.staffPool, { userPoolClients: [props.staffClient] }),
      either: new HttpLambdaAuthorizer('EitherPool', this.authorizerFunction.function, {
        responseTypes: [HttpLambdaResponseType.SIMPLE],
        identitySource: ['$request.header.Authorization'],
        resultsCacheTtl: Duration.minutes(5),
      }),
    };
  }

  /** The gateway authorizer for a route callable by these roles. */
  authorizerFor(roles: readonly Role[]): IHttpRouteAuthorizer {
    const learners = roles.includes('learner');
    const staff = roles.some((role) => role !== 'learner');
    if (learners && staff) return this.authorizers.either;
    return learners ? this.authorizers.learner : this.authorizers.staff;
  }
}
