import type { PreTokenGenerationTriggerEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { handler } from '../../functions/cognito/pre-token';

const event = (userAttributes: Record<string, string>) =>
  ({ request: { userAttributes, groupConfiguration: {} }, response: {} }) as unknown as PreTokenGenerationTriggerEvent;

describe('Cognito pre-token trigger', () => {
  it('makes a self-registered account a learner', async () => {
    const result = await handler(event({ sub: 'u1', email: 'a@example.jp' }));
    expect(result.response.claimsOverrideDetails?.claimsToAddOrOverride).toEqual({ 'custom:role': 'learner' });
  });

  it('never overrides a role an administrator set', async () => {
    const result = await handler(event({ sub: 'u2', 'custom:role': 'center', 'custom:prefecture': '31' }));
    expect(result.response.claimsOverrideDetails).toBeUndefined();
  });
});
