// What the call operations put on the wire besides JSON: path parameters, a multipart body with
// per-part media types, no body, and empty or SDP answers. The generated client
// (generated/client.ts) picks these by each operation's media types in the spec; only operations
// that need one import it, so an app that only mints bundles none of this.
import { InvalidArgumentError, InvalidResponseError } from '../core/errors.js';
import { invalid } from '../internal/messages.js';
import { redact } from '../internal/redact.js';
import { mergeHeaders, type RequestOptions, type ResolvedClientOptions } from './options.js';
import { send, type Reader } from './request.js';
import type { ApiResponse } from './types.js';
import { assertRequestObject, serializeJson } from './validate.js';

/**
 * `template` with each `{name}` replaced by `params[name]` as exactly one path segment:
 * percent-encoded (so `/`, `?`, `#` stay inside it) and never `.` or `..`, which URL parsers
 * resolve, `%2E%2E` included. `argument` names the caller's parameter in the error.
 */
export function pathOf(template: string, params: Record<string, [argument: string, value: unknown]>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const [argument, value] = params[name]!;
    if (typeof value !== 'string' || value === '' || value === '.' || value === '..') {
      invalid(argument, 'a non-empty string other than "." and ".."', value, InvalidArgumentError);
    }
    return encodeURIComponent(value);
  });
}

/** The media type of each part of a multipart body, and whether the part is required. */
export type PartEncoding = Record<string, readonly [contentType: string, required: boolean]>;

/** The call operations' answers and bodies are not the JSON the client's headers announce. */
function withMedia(
  client: ResolvedClientOptions,
  contentType: string | null,
  accept: string,
): ResolvedClientOptions {
  return { ...client, headers: mergeHeaders(client.headers, { 'content-type': contentType, accept }) };
}

/**
 * `POST path` with a JSON body, or none when `body` is `undefined` (the spec lists no request
 * body, or an optional one was left out), answered by a 2xx whose body, if any, is ignored: the
 * call-control operations answer `200` with nothing, so `data` is `undefined`.
 */
export function postForStatus(
  client: ResolvedClientOptions,
  path: string,
  body: object | undefined,
  options?: RequestOptions,
): Promise<ApiResponse<undefined>> {
  if (body === undefined) return send(withMedia(client, null, '*/*'), path, undefined, noData, options);
  assertRequestObject(body);
  return send(withMedia(client, 'application/json', '*/*'), path, serializeJson(body), noData, options);
}

const noData: Reader<undefined> = () => undefined;

/** The answer to `POST /realtime/calls`: the SDP answer and the call id from `Location`. */
export interface RealtimeCallAnswer {
  /** The SDP answer for the peer connection: hand it to `setRemoteDescription({ type: 'answer', sdp })`. */
  sdp: string;
  /**
   * The call id (`rtc_…`), the last segment of the `Location` header, for the call-control
   * operations and a monitoring WebSocket; `null` when the upstream sent no `Location`.
   */
  callId: string | null;
}

/**
 * `POST path` with a `multipart/form-data` body whose parts carry the media types the spec's
 * `encoding` gives (`sdp` as `application/sdp`, `session` as `application/json`), answered by an
 * SDP answer. Every part is checked before anything is sent.
 */
export function postMultipartForSdp(
  client: ResolvedClientOptions,
  path: string,
  request: object,
  encoding: PartEncoding,
  options?: RequestOptions,
): Promise<ApiResponse<RealtimeCallAnswer>> {
  assertRequestObject(request);
  const parts: string[] = [];
  const given = request as Record<string, unknown>;
  for (const name of Object.keys(given)) {
    if (!Object.hasOwn(encoding, name) && given[name] !== undefined) {
      throw new InvalidArgumentError(
        `\`request.${name}\` is not a part of this request; it takes ${Object.keys(encoding).join(', ')}.`,
      );
    }
  }
  for (const [name, [contentType, required]] of Object.entries(encoding)) {
    const value = given[name];
    if (value === undefined) {
      if (required) invalid(`request.${name}`, `given (${contentType})`, value, InvalidArgumentError);
      continue;
    }
    parts.push(partText(name, contentType, value));
  }
  // A fresh boundary per call; a part that happens to contain it is refused, not mangled.
  const boundary = `realtime-sessions-${crypto.randomUUID()}`;
  if (parts.some((part) => part.includes(boundary))) {
    throw new InvalidArgumentError('A multipart part contains the boundary; retry the call.');
  }
  const body = parts.map((part) => `--${boundary}\r\n${part}\r\n`).join('') + `--${boundary}--\r\n`;
  return send(
    withMedia(client, `multipart/form-data; boundary=${boundary}`, 'application/sdp'),
    path,
    body,
    sdpAnswer,
    options,
  );
}

/** One part: its headers and content, checked against its media type. */
function partText(name: string, contentType: string, value: unknown): string {
  let text: string;
  if (contentType === 'application/json') {
    if (typeof value !== 'object' || value === null) {
      invalid(`request.${name}`, 'an object', value, InvalidArgumentError);
    }
    assertRequestObject(value);
    text = serializeJson(value);
  } else {
    if (typeof value !== 'string') invalid(`request.${name}`, 'a string', value, InvalidArgumentError);
    if (contentType === 'application/sdp') assertSdpOffer(value, `request.${name}`);
    text = value;
  }
  return `Content-Disposition: form-data; name="${name}"\r\nContent-Type: ${contentType}\r\n\r\n${text}`;
}

/**
 * Refuses what is not an SDP offer before any request: an SDP description starts with `v=0`
 * (RFC 8866 §5) and an offer that can carry audio or a data channel has at least one `m=` line.
 */
export function assertSdpOffer(sdp: string, name: string): void {
  if (!isSdpOffer(sdp)) {
    throw new InvalidArgumentError(
      `\`${name}\` must be an SDP offer: \`v=0\` on its first line and at least one \`m=\` line.`,
    );
  }
}

/** Whether `sdp` is an SDP offer as {@link assertSdpOffer} checks it. */
export function isSdpOffer(sdp: string): boolean {
  return /^v=0\r?\n/.test(sdp) && /^m=/m.test(sdp);
}

/** An SDP answer (`v=0` first) and the call id from `Location`. */
const sdpAnswer: Reader<RealtimeCallAnswer> = (response, text, route, secrets) => {
  if (!/^v=0\r?\n/.test(text)) {
    throw new InvalidResponseError(
      'body is not an SDP answer',
      response,
      redact(text, secrets),
      route,
      secrets,
    );
  }
  return { sdp: text, callId: callIdOf(response.headers.get('location')) };
};

/** `/v1/realtime/calls/rtc_123` (or an absolute URL) → `rtc_123`; `null` without a header. */
export function callIdOf(location: string | null): string | null {
  if (location === null) return null;
  const pathname = location.replace(/[?#].*$/, '').replace(/\/+$/, '');
  const last = pathname.slice(pathname.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(last) || null;
  } catch {
    return last || null;
  }
}
