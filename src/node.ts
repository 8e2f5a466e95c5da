/**
 * The package's `./node` entry: {@link toNodeHandler} serves a Fetch-API handler, such as the one
 * `createSessionHandler` returns, from `node:http` (`http.createServer`, or Express and Connect,
 * which take the same listener). Everything here is public API.
 *
 * @module realtime-sessions/node
 */
export { toNodeHandler, type FetchHandler, type NodeRequestListener } from './adapters/node.js';
