// The embedded DynamoDB in its own process: dynalite serves several times more requests
// per second when it does not share an event loop with the handlers calling it.
const dynalite = require('dynalite');

const path = process.env.DYNALITE_PATH || undefined;
const server = dynalite({ ...(path ? { path } : {}), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.listen(Number(process.env.DYNALITE_PORT || 0), '127.0.0.1', () => {
  process.send({ port: server.address().port });
});
server.on('error', (error) => {
  process.send({ error: error.message });
  process.exit(1);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', () => undefined); // the parent decides when to stop (Ctrl-C reaches both)
process.on('disconnect', stop); // the parent is gone
