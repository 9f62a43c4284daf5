import { startEmbeddedDynamo } from '../../infra/local/embedded-dynamo';

/**
 * A fresh in-memory dynalite in its own process, so that the handler under test and the
 * database do not share one event loop (in AWS they do not share a CPU either). Prints
 * the endpoint on stdout; exits when its parent closes stdin or sends SIGTERM.
 */
const dynamo = await startEmbeddedDynamo({});
process.stdout.write(`${dynamo.endpoint}\n`);
const stop = () => {
  void dynamo.close().finally(() => process.exit(0));
};
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
