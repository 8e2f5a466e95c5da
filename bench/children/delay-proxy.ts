// bench/lib/delay-proxy.ts in its own process (section 9), so the stand-in's WebRTC work cannot
// hold up its timers.
//   delay-proxy.mjs ROUTES_JSON        routes as in ProxyRoute[]
// Over IPC, { type: 'route', route } adds a route and answers { type: 'route-added' }.
import { serveUntilParentLeaves } from '../lib/child.js';
import { createDelayProxy, type ProxyRoute } from '../lib/delay-proxy.js';

const routes = JSON.parse(process.argv[2] ?? '[]') as ProxyRoute[];
const server = createDelayProxy(routes);
process.on('message', (msg: { type?: string; route?: ProxyRoute }) => {
  if (msg.type !== 'route' || !msg.route) return;
  routes.push(msg.route);
  process.send?.({ type: 'route-added' });
});
serveUntilParentLeaves(server, (port) => ({ origin: `http://127.0.0.1:${port}` }));
