// The calls mode of the token route: the browser POSTs its SDP offer, the route creates the call
// upstream with the server's key and the pinned session, and answers the SDP answer. The page never
// holds a credential. The checks before the body, the body read, the field checks and the error
// mapping are the other modes' (pipeline.ts); this file reads the offer and answers it.
import { isSdpOffer, type RealtimeCallAnswer } from '../client/wire.js';
import { errorAnswer, INTERNAL_ERROR } from './answers.js';
import { isUtf8MediaType, utf8 } from './body.js';
import type { SessionHandlerCoreAnswer, SessionHandlerCoreInput } from './core.js';
import type { CallHandlerOptions } from './options.js';
import {
  admit,
  checkFields,
  echoesCredential,
  failed,
  readBytes,
  underDeadline,
  type Answer,
  type CorsHeaders,
  type Media,
  type RouteBase,
} from './pipeline.js';
import type { CallUpstream } from './upstream.js';

/** A calls-mode route. */
export interface CallRoute extends RouteBase {
  call: CallUpstream;
  onCall: CallHandlerOptions['onCall'];
}

const isSdp = (header: string | null): boolean => isUtf8MediaType(header, 'application/sdp');

/** `multipart/form-data` with a boundary; the body parser checks the rest. */
function isMultipart(header: string | null): boolean {
  if (header === null) return false;
  const [type, ...params] = header.split(';');
  return (
    type.trim().toLowerCase() === 'multipart/form-data' &&
    params.some((param) => param.trim().toLowerCase().startsWith('boundary='))
  );
}

const OFFER_MEDIA: Media = {
  accepts: (header) => isSdp(header) || isMultipart(header),
  expected: 'application/sdp, or multipart/form-data with an sdp part',
};

const INVALID_OFFER = {
  message: 'request body must be an SDP offer: v=0 on its first line and at least one m= line',
  code: 'invalid_offer',
  param: 'sdp',
} as const;

const INVALID_CALL = {
  message: 'upstream returned an invalid call answer',
  code: 'upstream_invalid_response',
} as const;

/** The multipart parts a page may send, as the upstream's own form has them. */
const PARTS: ReadonlySet<string> = new Set(['sdp', 'session']);

/** Runs one offer through the route. */
export async function handleCall(route: CallRoute, input: SessionHandlerCoreInput): Promise<Answer> {
  const { cors, refused } = await admit(route, input, OFFER_MEDIA);
  if (refused) return refused;
  const read = await readBytes(route, input, cors);
  if ('answer' in read) return read.answer;
  const offer = await readOffer(route, read.bytes, input.header('content-type'), cors);
  if ('answer' in offer) return offer.answer;
  const { sdp, fields } = offer;

  let answer: RealtimeCallAnswer;
  try {
    answer = await underDeadline(route, route.call.path, input.signal, (deadline) =>
      route.call.call(sdp, fields, deadline),
    );
  } catch (error) {
    // An upstream 400 about the offer names `sdp`: the page's own mistake, so it may see it.
    return failed(route, error, ['sdp', ...Object.keys(fields)], route.call.fieldOf, input.signal, cors);
  }
  const { callId } = answer;
  if (callId === null) {
    // Without its id the call can be neither watched nor ended.
    route.report(new Error('upstream call answer unusable: no Location with the call id'));
    return errorAnswer(502, INVALID_CALL, cors);
  }
  if (echoesCredential(route, answer.sdp)) {
    await hangup(route, callId);
    return errorAnswer(502, INVALID_CALL, cors);
  }
  if (route.onCall) {
    try {
      // Handlers with `onCall` never take the fast path, so there is always a Fetch request here.
      await route.onCall({ callId, request: input.request! });
    } catch (error) {
      route.report(error);
      await hangup(route, callId);
      return errorAnswer(500, INTERNAL_ERROR, cors);
    }
  }
  return sdpAnswer(answer.sdp, cors);
}

/**
 * The offer and the browser's session fields from the body: raw `application/sdp`, or multipart
 * with one `sdp` part and at most one `session` part (JSON, checked like the other modes' bodies).
 */
async function readOffer(
  route: CallRoute,
  bytes: Uint8Array,
  contentType: string | null,
  cors: CorsHeaders,
): Promise<{ sdp: string; fields: Record<string, unknown> } | { answer: Answer }> {
  if (isSdp(contentType)) {
    const sdp = decode(bytes);
    if (sdp === undefined || !isSdpOffer(sdp)) return { answer: errorAnswer(400, INVALID_OFFER, cors) };
    return { sdp, fields: Object.create(null) as Record<string, unknown> };
  }
  let form: FormData;
  try {
    // The platform's multipart parser (Node, Workers, Deno and Bun all have it), on bytes already
    // capped at `maxOfferBytes`.
    form = await new Response(bytes as Uint8Array<ArrayBuffer>, {
      headers: { 'content-type': contentType! },
    }).formData();
  } catch {
    const message = 'request body is not valid multipart/form-data';
    return { answer: errorAnswer(400, { message, code: 'invalid_request' }, cors) };
  }
  const parts: Record<string, string> = Object.create(null);
  for (const [name, value] of form) {
    if (!PARTS.has(name) || name in parts) {
      const message = PARTS.has(name)
        ? `part "${name}" is sent more than once`
        : `part "${name.slice(0, 64)}" is not accepted; send sdp, and optionally session`;
      return {
        answer: errorAnswer(400, { message, code: 'invalid_request', param: name.slice(0, 64) }, cors),
      };
    }
    // A part sent with a filename (a Blob appended to FormData) arrives as a File.
    const text = typeof value === 'string' ? value : decode(new Uint8Array(await value.arrayBuffer()));
    if (text === undefined) return { answer: errorAnswer(400, partNotUtf8(name), cors) };
    parts[name] = text;
  }
  if (parts.sdp === undefined || !isSdpOffer(parts.sdp))
    return { answer: errorAnswer(400, INVALID_OFFER, cors) };
  if (parts.session === undefined) return { sdp: parts.sdp, fields: Object.create(null) };
  const checked = await checkFields(
    new TextEncoder().encode(parts.session),
    route.allowed,
    route.call.shape,
    cors,
  );
  return 'answer' in checked ? checked : { sdp: parts.sdp, fields: checked.fields };
}

function partNotUtf8(name: string) {
  return { message: `part "${name}" is not valid UTF-8`, code: 'invalid_request', param: name };
}

function decode(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

function sdpAnswer(sdp: string, cors: CorsHeaders): SessionHandlerCoreAnswer {
  const headers: Record<string, string> = {
    ...cors,
    'content-type': 'application/sdp',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  };
  return { status: 201, headers, body: sdp };
}

/** Ends a call the page will not get, under its own deadline; a failure only goes to `onError`. */
async function hangup(route: CallRoute, callId: string): Promise<void> {
  try {
    await underDeadline(route, `/realtime/calls/{call_id}/hangup`, undefined, (deadline) =>
      route.call.hangup(callId, deadline),
    );
  } catch (error) {
    route.report(error);
  }
}
