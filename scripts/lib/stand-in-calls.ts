// The stand-in's call routes: POST /realtime/calls (the SDP exchange) and the call-control
// operations POST /realtime/calls/{call_id}/accept|hangup|refer|reject. Like the live API
// (openapi/realtime.yaml and ../shared/upstream/LIVE-API-2026.md):
//   - /realtime/calls takes `multipart/form-data` with the API key (parts `sdp` as application/sdp
//     and an optional `session` as application/json), or a raw `application/sdp` offer with an
//     ephemeral key this stand-in minted and that has not expired; it answers `201` with a real
//     `application/sdp` answer (stand-in-peer.ts) and `Location: /v1/realtime/calls/rtc_…`;
//   - /realtime/calls answers CORS (a page on another origin calls it): a preflight OPTIONS gets 204
//     with the lists below, every other answer there `Access-Control-Allow-Origin: *` and the
//     exposed `Location`;
//   - the call-control paths answer `200` with an empty body for a call the stand-in knows (one it
//     created, or an incoming SIP call announced with `StandIn.incomingCall()`), `404` otherwise.
// The multipart reader here is deliberately independent of the SDK's encoder (src/client/wire.ts),
// so a test against the stand-in checks the SDK's bytes, not the SDK against itself.
import { randomBytes } from 'node:crypto';

export interface Part {
  name: string;
  contentType: string | undefined;
  filename: string | undefined;
  text: string;
}

/** Splits a `multipart/form-data` body (RFC 7578) into its parts; `undefined` when malformed. */
export function parseMultipart(contentType: string, body: string): Part[] | undefined {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const marker = boundary?.[1] ?? boundary?.[2];
  if (!marker) return undefined;
  const delimiter = `--${marker}`;
  const sections = body.split(delimiter);
  // Before the first delimiter: a preamble; after the last: `--` and an epilogue.
  if (sections.length < 3 || !sections[sections.length - 1]!.startsWith('--')) return undefined;
  const parts: Part[] = [];
  for (const section of sections.slice(1, -1)) {
    if (!section.startsWith('\r\n') || !section.endsWith('\r\n')) return undefined;
    const content = section.slice(2, -2);
    const split = content.indexOf('\r\n\r\n');
    if (split < 0) return undefined;
    const headers = new Map<string, string>();
    for (const line of content.slice(0, split).split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon < 0) return undefined;
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    const disposition = headers.get('content-disposition') ?? '';
    const name = /(?:^|;)\s*name="([^"]*)"/.exec(disposition)?.[1];
    if (!/^form-data\b/.test(disposition) || name === undefined) return undefined;
    parts.push({
      name,
      contentType: headers.get('content-type'),
      filename: /filename="([^"]*)"/.exec(disposition)?.[1],
      text: content.slice(split + 4),
    });
  }
  return parts;
}

/** An SDP offer as the stand-in accepts it: `v=0` first and at least one `m=` line. */
export const isSdpOffer = (text: string) => /^v=0\r?\n/.test(text) && /^m=/m.test(text);

export const newCallId = () => `rtc_${randomBytes(12).toString('hex')}`;

/** The call-control paths and the one that creates calls. */
export const CALLS = /(^|\/)realtime\/calls$/;
export const CALL_CONTROL = /(^|\/)realtime\/calls\/([^/]+)\/(accept|hangup|refer|reject)$/;

/**
 * CORS on POST /realtime/calls, which a page calls from its own origin with an ephemeral key, as it
 * does against OpenAI: every answer there (the SDP answer and the errors) carries these, so the page
 * can read it and its `Location`.
 */
export const CALLS_CORS = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'Location, x-request-id',
};

/**
 * The request headers the preflight allows: what the clients we test send (a page's fetch, the
 * official Agents SDK's `X-OpenAI-Agents-SDK`) and the API's own. A fixed list, not an echo of the
 * request: the live API's preflight refuses a header outside its list, and the browser then blocks
 * the POST (reported for a page that sent `originator`, openclaw/openclaw#76435).
 */
export const CALLS_CORS_ALLOW_HEADERS = [
  'authorization',
  'content-type',
  'openai-beta',
  'openai-organization',
  'openai-project',
  'x-openai-agents-sdk',
];

/** The answer to a preflight (OPTIONS) on /realtime/calls: 204 and these headers. */
export const CALLS_PREFLIGHT = {
  ...CALLS_CORS,
  'access-control-allow-methods': 'POST, OPTIONS',
  'access-control-allow-headers': CALLS_CORS_ALLOW_HEADERS.join(', '),
  'access-control-max-age': '600',
};
