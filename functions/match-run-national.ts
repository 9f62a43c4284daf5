import { randomBytes } from 'node:crypto';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { httpHandler } from '../shared/http/handler';
import { routes } from '../shared/http/routes';
import { runNationalRoundInProcess } from '../shared/workflows/national-round';

// Set in AWS by the stack; absent on the local host, which runs the steps in process.
const stateMachineArn = process.env.NATIONAL_ROUND_STATE_MACHINE_ARN;
const sfn = stateMachineArn ? new SFNClient({}) : undefined;

export const handler = httpHandler(routes.startNationalRound, async ({ actor, body }) => {
  if (!sfn) return { status: 201, body: await runNationalRoundInProcess(actor, body, new Date()) };
  const nationalRunId = `nrun_${randomBytes(10).toString('hex')}`;
  const { executionArn } = await sfn.send(
    new StartExecutionCommand({
      stateMachineArn,
      name: nationalRunId,
      input: JSON.stringify({ nationalRunId, requestedBy: { sub: actor.sub }, dryRun: body.dryRun, includeSelfReported: body.includeSelfReported }),
    }),
  );
  return { status: 202, body: { nationalRunId, executionArn, status: 'running' }, headers: { location: `/v1/match-runs/national/${nationalRunId}` } };
});
