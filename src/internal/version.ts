// Replaced at build time (tsup `define`, vitest `define`) with package.json's version.
declare const __PACKAGE_VERSION__: string;

/**
 * The SDK version, sent as `User-Agent: realtime-sessions/<VERSION>` outside browsers.
 * @example
 * ```ts
 * import { VERSION } from 'realtime-sessions';
 * console.log(VERSION); // '0.4.0'
 * ```
 */
// `typeof` keeps an unbundled run (e.g. `tsx src/...`) from throwing a ReferenceError.
export const VERSION: string = typeof __PACKAGE_VERSION__ === 'string' ? __PACKAGE_VERSION__ : '0.0.0-dev';
