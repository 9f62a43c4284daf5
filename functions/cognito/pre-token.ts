import type { PreTokenGenerationTriggerEvent } from 'aws-lambda';
import { claimNames } from '../../shared/identity';

/**
 * Cognito pre-token-generation trigger: people who signed up themselves have no role
 * attribute; their ID token says "learner". Every other role is set by an administrator
 * on the account (custom:role is not writable by users), and this never overrides it.
 */
export const handler = async (event: PreTokenGenerationTriggerEvent) => {
  const attributes = event.request.userAttributes;
  if (!attributes[claimNames.role]) {
    event.response.claimsOverrideDetails = { claimsToAddOrOverride: { [claimNames.role]: 'learner' } };
  }
  return event;
};
