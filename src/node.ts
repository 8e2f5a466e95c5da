// The package's `./node` entry: the node:http adapter. Everything here is public API.
export { toNodeHandler, type FetchHandler, type NodeRequestListener } from './adapters/node.js';
