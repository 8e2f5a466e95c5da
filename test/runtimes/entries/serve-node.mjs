// How the Node entries serve the token route: `server` (a node:http server with the README's
// adapter) on 127.0.0.1 and a random port, in the `{ url, close }` shape runScenario expects.
// Shared by node.mjs and node.cjs, which import it as ESM.
export function serveNode(server) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${server.address().port}/session`,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      }),
    );
  });
}
