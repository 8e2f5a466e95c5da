import { CLIENT_OPTION_KEYS, refuseUnknownKeys } from '../internal/option-keys.js';
import { closest } from '../internal/suggest.js';
import { resolveBetaEndpoints, type Retirements } from './beta-fallback.js';
import {
  resolveClientOptions,
  type BetaEndpoints,
  type ClientOptions,
  type ResolvedClientOptions,
} from './options.js';

/** What a {@link RealtimeApi} holds, in one private field: resolved once, at construction. */
export interface ClientState {
  readonly options: ResolvedClientOptions;
  readonly betaEndpoints: BetaEndpoints;
  /** Beta paths this client has seen retired: later calls go straight to GA. */
  readonly retired: Retirements;
}

/**
 * The generated `RealtimeApi` constructor's whole work. Unknown keys are refused here, not in the
 * request path the standalone functions share: its every byte reaches the bundle of an app that
 * only mints (see the README's size budgets).
 */
export function clientState(options: ClientOptions): ClientState {
  if (typeof options === 'object' && options !== null) {
    refuseUnknownKeys(options, CLIENT_OPTION_KEYS, 'new RealtimeApi()', closest);
  }
  return {
    options: resolveClientOptions(options),
    betaEndpoints: resolveBetaEndpoints(options),
    retired: new Set(),
  };
}
