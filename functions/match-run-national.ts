import { randomBytes } from 'node:crypto';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { loadWorkflowConfig } from '../shared/config';
import { httpHandler } from '../shared/http/handler';
import * as route from '../shared/http/routes/match-run-national';
import { nationalRoundInProcess } from '../shared/workflows/in-process';

// The state machine is set in AWS by the stack; absent on the local host, which runs the
// steps in process (its runner registered by the host). Read on the first request, like
// every other setting.
let stateMachine: { arn: string; sfn: SFNClient } | null | undefined;
function nationalRoundStateMachine() {
  if (stateMachine === undefined) {
    const arn = loadWorkflowConfig(process.env).nationalRoundStateMachineArn;
    stateMachine = arn ? { arn, sfn: new SFNClient({}) } : null;
  }
  return stateMachine;
}

export const handler = httpHandler(route.startNationalRound, async ({ actor, body }) => {
  const machine = nationalRoundStateMachine();
  if (!machine) {
    const run = await nationalRoundInProcess()(actor, body, new Date());
    return { status: 201, body: run, headers: { location: `/v1/national-match-runs/${run.nationalRunId}` } };
  }
  const nationalRunId = `nrun_${randomBytes(10).toString('hex')}`;
  const { executionArn } = await machine.sfn.send(
    new StartExecutionCommand({
      stateMachineArn: machine.arn,
      name: nationalRunId,
      input: JSON.stringify({ nationalRunId, requestedBy: { sub: actor.sub }, dryRun: body.dryRun, includeSelfReported: body.includeSelfReported }),
    }),
  );
  return { status: 202, body: { nationalRunId, executionArn, status: 'running' }, headers: { location: `/v1/national-match-runs/${nationalRunId}` } };
});
