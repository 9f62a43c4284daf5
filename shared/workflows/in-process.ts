import type { runNationalRoundInProcess } from './national-round';

/**
 * The workflows the local host runs in process where AWS runs a state machine. The host
 * registers their runners (infra/local/invoke.ts), as it serves the queues
 * (shared/queues.ts), so a Lambda function that starts a state machine never bundles the
 * steps it would run locally (docs/benchmarks.md, cold start).
 */
type NationalRoundRunner = typeof runNationalRoundInProcess;

let nationalRound: NationalRoundRunner | undefined;

/** The local host registers the national round's in-process runner here; returns the unregistration. */
export function serveNationalRoundInProcess(run: NationalRoundRunner): () => void {
  nationalRound = run;
  return () => {
    if (nationalRound === run) nationalRound = undefined;
  };
}

export function nationalRoundInProcess(): NationalRoundRunner {
  if (!nationalRound) {
    throw new Error(
      'invalid configuration: NATIONAL_ROUND_STATE_MACHINE_ARN is not set and no in-process runner serves the national round (the local host and the tests register one)',
    );
  }
  return nationalRound;
}
