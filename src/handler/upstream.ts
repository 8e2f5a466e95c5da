// What differs between the upstream endpoints the route calls: the two that mint a secret, and
// `POST /realtime/calls`, which answers an offer. Everything else (method, CORS, authorize, body
// checks, error mapping) is shared by src/handler/pipeline.ts; calls.ts answers offers.
import type {
  RealtimeApi,
  RealtimeCreateClientSecretRequest,
  RealtimeCreateClientSecretResponse,
  RealtimeSessionCreateRequest,
  RealtimeSessionCreateRequestGA,
} from '../../generated/client.js';
import { expiresAfter } from '../internal/expires-after.js';
import { isObject } from '../internal/json.js';
import { invalid } from '../internal/messages.js';
import { HANDLER_DEFAULTS, snapshotSession } from './options.js';
import type { RealtimeCallAnswer } from '../client/wire.js';
import type { FieldShape } from './validate.js';

/** One endpoint's way of minting. */
export interface Upstream {
  /** The path it calls, for errors about the exchange as a whole. */
  path: string;
  /** The schema the browser's fields are checked against: the beta session, or the GA session's type. */
  shape: FieldShape;
  /** Mints with the browser's allowed fields; resolves to the secret and the session, unchecked. */
  mint(fields: Record<string, unknown>, signal: AbortSignal | undefined): Promise<Minted>;
  /** The browser field an upstream error's `param` is about, e.g. `voice` for `session.audio.output.voice`. */
  fieldOf(param: unknown): string | undefined;
}

/** What an endpoint answered, before the route checks it. */
export interface Minted {
  client_secret?: { value?: unknown; expires_at?: unknown } | null;
  session?: unknown;
}

/** The options an endpoint strategy is built from. */
export interface UpstreamOptions {
  endpoint: unknown;
  session: unknown;
  allowed: ReadonlySet<string>;
  expiresAfterSeconds: unknown;
}

/** The endpoint strategy, checked now so a misconfigured handler fails at startup, not on a request. */
export function resolveUpstream(api: RealtimeApi, options: UpstreamOptions): Upstream {
  const endpoint = options.endpoint ?? HANDLER_DEFAULTS.endpoint;
  if (endpoint === 'sessions') return sessionsUpstream(api, options);
  if (endpoint === 'client_secrets') return clientSecretsUpstream(api, options);
  return invalid('endpoint', "'sessions' or 'client_secrets'", endpoint);
}

/**
 * `sessions`: the beta body is `{ ...pinned, ...fields }`. The client's `betaEndpoints` fallback
 * mints through GA once upstream answers the beta path retired.
 */
function sessionsUpstream(api: RealtimeApi, { session, expiresAfterSeconds }: UpstreamOptions): Upstream {
  if (expiresAfterSeconds !== undefined) {
    invalid(
      'expiresAfterSeconds',
      "unset with endpoint 'sessions' (it needs endpoint 'client_secrets'; pin session.client_secret.expires_after instead)",
      expiresAfterSeconds,
    );
  }
  const pinned = snapshotSession(session);
  return {
    path: '/realtime/sessions',
    shape: 'beta',
    async mint(fields, signal) {
      // Client values win only for allowed fields; everything else comes from the server (see README).
      const body = Object.assign(Object.create(null) as RealtimeSessionCreateRequest, pinned, fields);
      const { client_secret, ...rest } = await api.createRealtimeSession(body, { signal });
      return { client_secret, session: rest };
    },
    // Past a retirement the request went to GA, whose errors name GA places.
    fieldOf: gaFieldOf,
  };
}

/**
 * `client_secrets`: the same merge becomes the GA `session`, except `voice`, which goes to
 * `session.audio.output.voice`; the answer's top-level `value` and `expires_at` become
 * `client_secret`, so the browser sees one shape in both modes.
 */
function clientSecretsUpstream(api: RealtimeApi, options: UpstreamOptions): Upstream {
  const pinned = gaPinned(
    options,
    ['realtime', 'transcription'],
    'client_secrets mode, the default since 0.2.0',
  );
  const expires =
    options.expiresAfterSeconds === undefined
      ? undefined
      : expiresAfter(options.expiresAfterSeconds, 'expiresAfterSeconds');
  return {
    path: '/realtime/client_secrets',
    shape: pinned.type as 'realtime' | 'transcription',
    async mint(fields, signal) {
      const request: RealtimeCreateClientSecretRequest = { session: gaSession(pinned, fields) };
      if (expires) request.expires_after = expires;
      const minted: Partial<RealtimeCreateClientSecretResponse> = await api.createRealtimeClientSecret(
        request,
        {
          signal,
        },
      );
      return {
        client_secret: { value: minted.value, expires_at: minted.expires_at },
        session: minted.session,
      };
    },
    fieldOf: gaFieldOf,
  };
}

/** The `endpoint: 'calls'` strategy: what the route sends a page's offer with. */
export interface CallUpstream {
  path: '/realtime/calls';
  shape: 'realtime';
  /** Creates the call with the pinned session and the browser's allowed fields over it. */
  call(sdp: string, fields: Record<string, unknown>, signal: AbortSignal): Promise<RealtimeCallAnswer>;
  /** Ends a call the route created (when `onCall` refused it). */
  hangup(callId: string, signal: AbortSignal): Promise<void>;
  fieldOf(param: unknown): string | undefined;
}

/**
 * `calls`: the same merge as `client_secrets` becomes the call's `session` part; only a realtime
 * session can take a call.
 */
export function callsUpstream(api: RealtimeApi, options: Omit<UpstreamOptions, 'endpoint'>): CallUpstream {
  const pinned = gaPinned(options, ['realtime'], "endpoint 'calls'");
  return {
    path: '/realtime/calls',
    shape: 'realtime',
    call: (sdp, fields, signal) =>
      api.createRealtimeCall(
        { sdp, session: gaSession(pinned, fields) as RealtimeSessionCreateRequestGA },
        { signal },
      ),
    hangup: (callId, signal) => api.hangupRealtimeCall(callId, { signal }),
    fieldOf: gaFieldOf,
  };
}

/** The pinned GA session, checked: a `type` the mode takes, and an allow-list that fits it. */
function gaPinned(
  { session, allowed }: Omit<UpstreamOptions, 'endpoint'>,
  types: readonly string[],
  mode: string,
): Record<string, unknown> {
  const pinned = snapshotSession(session ?? HANDLER_DEFAULTS.clientSecretSession);
  if (!types.includes(pinned.type as string)) {
    invalid(
      'session.type',
      `${types.map((t) => `'${t}'`).join(' or ')} in ${mode} (the GA session config, e.g. { type: 'realtime', model: 'gpt-realtime', audio: { output: { voice: 'marin' } } }; for a beta session config, pass \`endpoint: 'sessions'\`)`,
      pinned.type,
    );
  }
  if (allowed.has('type'))
    invalid('allowFromClient', 'a list without "type" (the session type is the server\'s)', [...allowed]);
  if (pinned.type === 'transcription' && allowed.has('voice')) {
    invalid('allowFromClient', 'a list without "voice" for a transcription session, which has no voice', [
      ...allowed,
    ]);
  }
  return pinned;
}

/** The pinned GA session with the browser's fields over it, `voice` at `audio.output.voice`. */
function gaSession(
  pinned: Record<string, unknown>,
  fields: Record<string, unknown>,
): NonNullable<RealtimeCreateClientSecretRequest['session']> {
  const { voice, ...rest } = fields;
  const merged: Record<string, unknown> = Object.assign(Object.create(null), pinned, rest);
  if (Object.hasOwn(fields, 'voice')) {
    // New objects all the way down: the pinned snapshot is shared by every request.
    const audio = isObject(merged.audio) ? merged.audio : {};
    const output = isObject(audio.output) ? audio.output : {};
    merged.audio = { ...audio, output: { ...output, voice } };
  }
  return merged as NonNullable<RealtimeCreateClientSecretRequest['session']>;
}

/** The browser field a GA error's `param` is about: `voice` for `session.audio.output.voice`. */
function gaFieldOf(param: unknown): string | undefined {
  if (typeof param !== 'string') return undefined;
  if (/^session\.audio\.output\.voice\b/.test(param)) return 'voice';
  // `voice`, `session.voice`, `tools[0].name` and `session.tools[0]` all name the top-level field.
  return /^(?:session\.)?([A-Za-z_][A-Za-z0-9_]*)/.exec(param)?.[1];
}
