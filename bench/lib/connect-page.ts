// The page section 9a times in Chromium, served by the app server (children/connect-app.ts). Its
// script is plain JavaScript in a string: a function passed to page.evaluate would be compiled by
// tsx first, which adds helpers (`__name`) the page does not have.
//
// `benchConnect(flow, upstreamOrigin)` runs one connection the way an app does it and resolves with
// the time of each step from its start (the user's click), in ms:
//   two-step            POST /token (the client_secrets route) → getUserMedia, offer → POST the
//                       offer as application/sdp with `Bearer ek_…` to upstream /v1/realtime/calls
//                       → answer → connected. The order of OpenAI's WebRTC guide.
//   two-step-overlapped the same, with the token fetched while the microphone and the offer are
//                       made: the fastest a two-step page can be.
//   one-step            getUserMedia, offer → POST the offer as application/sdp to /call (the calls
//                       route) → answer → connected. The page holds no credential.
// Like the guide, the page sends its offer as soon as it is set (no wait for ICE gathering):
// the answerer learns the browser's address from its connectivity checks.
export const FLOWS = ['two-step', 'two-step-overlapped', 'one-step'] as const;
export type Flow = (typeof FLOWS)[number];

export interface PageMarks {
  /** The token route answered (two-step flows). */
  token?: number;
  /** The offer is the local description. */
  offer: number;
  /** The SDP answer arrived. */
  answer: number;
  /** `connectionState === 'connected'` (ICE and DTLS done): what the section measures. */
  connected: number;
  /** `session.created` arrived on `oai-events`: the session is usable. */
  session: number;
}

export type PageResult =
  | { ok: true; marks: PageMarks; instructions: unknown }
  | { ok: false; error: string; marks: Partial<PageMarks> };

const SCRIPT = String.raw`
function within(promise, ms, what) {
  return Promise.race([
    promise,
    new Promise(function (_, reject) {
      setTimeout(function () { reject(new Error('no ' + what + ' within ' + ms + ' ms')); }, ms);
    }),
  ]);
}

async function token() {
  const res = await fetch('/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  if (res.status !== 200) throw new Error('token route answered ' + res.status + ': ' + (await res.text()));
  return (await res.json()).client_secret.value;
}

window.benchConnect = async function (flow, upstreamOrigin) {
  const t0 = performance.now();
  const marks = {};
  function mark(name) { marks[name] = performance.now() - t0; }
  let pc;
  let stream;
  try {
    let key;
    if (flow === 'two-step') {
      key = await token();
      mark('token');
    }
    const keyed = flow === 'two-step-overlapped'
      ? token().then(function (value) { mark('token'); return value; })
      : undefined;
    // Caught at once so that a failing token fetch is not an unhandled rejection while the offer is made.
    if (keyed) keyed.catch(function () {});
    stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    pc = new RTCPeerConnection();
    pc.addTrack(stream.getAudioTracks()[0], stream);
    const events = pc.createDataChannel('oai-events');
    const created = new Promise(function (resolve) {
      events.onmessage = function (message) {
        const event = JSON.parse(message.data);
        if (event.type === 'session.created') resolve(event);
      };
    });
    const connected = new Promise(function (resolve, reject) {
      pc.onconnectionstatechange = function () {
        if (pc.connectionState === 'connected') resolve();
        else if (pc.connectionState === 'failed') reject(new Error('connectionState failed'));
      };
    });
    await pc.setLocalDescription(await pc.createOffer());
    mark('offer');
    if (keyed) key = await keyed;
    const res = flow === 'one-step'
      ? await fetch('/call', {
          method: 'POST',
          headers: { 'content-type': 'application/sdp' },
          body: pc.localDescription.sdp,
        })
      : await fetch(upstreamOrigin + '/v1/realtime/calls', {
          method: 'POST',
          headers: { authorization: 'Bearer ' + key, 'content-type': 'application/sdp' },
          body: pc.localDescription.sdp,
        });
    const answer = await res.text();
    if (res.status !== 201) throw new Error('the SDP POST answered ' + res.status + ': ' + answer.slice(0, 300));
    mark('answer');
    await pc.setRemoteDescription({ type: 'answer', sdp: answer });
    await within(connected, 10000, 'connected state');
    mark('connected');
    const event = await within(created, 10000, 'session.created');
    mark('session');
    return { ok: true, marks: marks, instructions: event.session && event.session.instructions };
  } catch (error) {
    return { ok: false, error: String(error && error.stack || error), marks: marks };
  } finally {
    if (pc) pc.close();
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
  }
};
`;

export const CONNECT_PAGE = `<!doctype html>
<html lang="en">
<meta charset="utf-8">
<title>realtime-sessions bench: connect</title>
<script>${SCRIPT}</script>
</html>
`;

/** The expression page.evaluate runs for one connection. */
export function connectExpression(flow: Flow, upstreamOrigin: string): string {
  return `window.benchConnect(${JSON.stringify(flow)}, ${JSON.stringify(upstreamOrigin)})`;
}
