// The two beta minting calls on today's upstream. `POST /realtime/sessions` and
// `POST /realtime/transcription_sessions` answer 404 "Invalid URL" on the live API since May 2026
// (and beta shapes answer 400 `beta_api_shape_disabled`); `POST /realtime/client_secrets` mints
// instead. `betaEndpoints` (ClientOptions) picks what happens: see `postBeta`.
import { ApiError, BetaEndpointRetiredError, InvalidResponseError } from '../core/errors.js';
import { DEFAULTS } from '../internal/defaults.js';
import { invalid } from '../internal/messages.js';
import type { BetaEndpoints, ClientOptions, RequestOptions, ResolvedClientOptions } from './options.js';
import { post } from './request.js';
import { fromGaResponse, toGaRequest, type BetaKind } from './beta-translate.js';
import type {
  RealtimeCreateClientSecretResponse,
  RealtimeSessionCreateRequest,
  RealtimeSessionCreateResponse,
  RealtimeTranscriptionSessionCreateRequest,
  RealtimeTranscriptionSessionCreateResponse,
} from '../../generated/client.js';
import type { ApiResponse } from './types.js';
import { assertRequestObject } from './validate.js';

/** The beta path of each kind: the caller names it, so an app bundles only the one it calls. */
type BetaPath<K extends BetaKind> = K extends 'realtime'
  ? '/realtime/sessions'
  : '/realtime/transcription_sessions';

type BetaRequest<K extends BetaKind> = K extends 'realtime'
  ? RealtimeSessionCreateRequest
  : RealtimeTranscriptionSessionCreateRequest;
type BetaResponse<K extends BetaKind> = K extends 'realtime'
  ? RealtimeSessionCreateResponse
  : RealtimeTranscriptionSessionCreateResponse;

/**
 * The beta paths known to be retired, per client. A {@link RealtimeApi} keeps its own set; the
 * standalone functions share one per base URL for the life of the process.
 */
export type Retirements = Set<string>;

// Created on first use, so that an app that never calls a beta method keeps no module-level state.
let byBaseUrl: Map<string, Retirements> | undefined;

/** The process-wide memory of the standalone functions for `baseUrl`. */
export function retirementsFor(baseUrl: string): Retirements {
  byBaseUrl ??= new Map();
  let known = byBaseUrl.get(baseUrl);
  if (!known) byBaseUrl.set(baseUrl, (known = new Set()));
  return known;
}

/**
 * `options.betaEndpoints` with its default, checked: the RealtimeApi constructor and the standalone
 * beta functions call this before any request. It lives here, not in resolveClientOptions, so an app
 * that only mints through GA bundles none of it.
 */
export function resolveBetaEndpoints(options: ClientOptions | undefined): BetaEndpoints {
  const mode = options?.betaEndpoints ?? DEFAULTS.betaEndpoints;
  if (mode !== 'fallback' && mode !== 'ga' && mode !== 'beta')
    invalid('betaEndpoints', "'fallback', 'ga' or 'beta'", mode);
  return mode;
}

/**
 * A beta minting call, as `mode` (the client's `betaEndpoints`) says:
 * - `'fallback'`: the beta path first; when it answers retired, and from then on, the GA path;
 * - `'ga'`: the GA path only;
 * - `'beta'`: the beta path only; a retirement is a {@link BetaEndpointRetiredError}.
 *
 * Through GA, the request is translated before anything is sent (a field GA cannot take is an
 * `InvalidArgumentError` naming it), the answer comes back in the beta shape, and status, headers
 * and request id are the GA exchange's. A GA failure is reported as itself, never as the beta 404.
 */
export async function postBeta<K extends BetaKind>(
  client: ResolvedClientOptions,
  mode: BetaEndpoints,
  retired: Retirements,
  kind: K,
  path: BetaPath<K>,
  request: BetaRequest<K>,
  options?: RequestOptions,
): Promise<ApiResponse<BetaResponse<K>>> {
  if (mode === 'ga' || (mode === 'fallback' && retired.has(path))) {
    return viaGa(client, kind, request, options);
  }
  try {
    return (await post(client, path, request as never, options)) as ApiResponse<BetaResponse<K>>;
  } catch (error) {
    if (!isRetirement(error)) throw error;
    if (mode === 'beta') throw new BetaEndpointRetiredError(error);
    // Remembered before the GA call: it answers for this path whatever the GA call does.
    retired.add(path);
    return viaGa(client, kind, request, options);
  }
}

/**
 * A retirement: the 404 the live API gives both beta paths (they take no path parameters, so a
 * 404 there has no other meaning), or the code the live API gives every beta shape.
 */
function isRetirement(error: unknown): error is ApiError {
  return error instanceof ApiError && (error.status === 404 || error.code === 'beta_api_shape_disabled');
}

// The answer must carry the secret the call exists to return.
const secretProblem = (data: RealtimeCreateClientSecretResponse): string | undefined =>
  typeof data.value === 'string' && typeof data.expires_at === 'number'
    ? undefined
    : 'no string `value` or numeric `expires_at`';

async function viaGa<K extends BetaKind>(
  client: ResolvedClientOptions,
  kind: K,
  request: BetaRequest<K>,
  options: RequestOptions | undefined,
): Promise<ApiResponse<BetaResponse<K>>> {
  // Before translation reads it: the same InvalidArgumentError the beta path gives.
  assertRequestObject(request);
  const path = '/realtime/client_secrets';
  const ga = await post(client, path, toGaRequest(kind, request), options);
  const problem = secretProblem(ga.data);
  // Not retried, as any unusable 2xx: the upstream did act. Its headers are scrubbed of the
  // client's credentials; the body is not quoted (it holds the secret the call was for).
  if (problem) throw new InvalidResponseError(problem, ga, '', { method: 'POST', path }, client.secrets);
  return { ...ga, data: fromGaResponse(kind, ga.data) as BetaResponse<K> };
}
