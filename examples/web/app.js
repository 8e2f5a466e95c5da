// Browser side of the example: a real microphone, a WebRTC connection to the Realtime API, and the
// model's voice in an <audio> element. The server that sent this page decides the flow, in
// `<meta name="connect-mode">`:
//
// - "secret": fetch a session from our own server (/session, the token route), never from OpenAI
//   directly, then send the SDP offer to `POST <realtime base>/realtime/calls` with the short-lived
//   client secret. Every secret, whichever mode the token route mints in, is a GA client secret
//   (upstream retired the beta endpoints in 2026; the route's sessions mode falls back to GA), so
//   the page never uses the retired `/v1/realtime?model=`. The realtime base is
//   `https://api.openai.com/v1` unless the server rewrote `<meta name="realtime-base">` in
//   index.html (examples/web/server.ts does, for tests and the stand-in). It is read from the page
//   only, never from the URL, so a link cannot redirect the secret.
// - "calls": send the SDP offer to our own server (/call), which creates the call upstream with its
//   own key and answers with the SDP answer. The page holds no key and no call id, and connects in
//   one round trip.
const $ = (id) => document.getElementById(id);
const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.content;
const MODE = meta('connect-mode') === 'calls' ? 'calls' : 'secret';
const REALTIME_BASE = (meta('realtime-base') || 'https://api.openai.com/v1').replace(/\/+$/, '');
/** What the page asks for in both flows: the token route's JSON body, or the call's session part. */
const CLIENT_FIELDS = { voice: 'verse' };

let secret = null;
let expiresAt = 0;
let timer = null;
/** The current RTCPeerConnection, if any. */
let pc = null;
/** The microphone stream the current connection sends, if any. */
let microphone = null;

function mask(value) {
  return value.length <= 8 ? '…' : `${value.slice(0, 5)}…${value.slice(-2)}`;
}

/** Shows `text` in the alert; any key in it (an upstream may echo one) is masked. */
function showError(text) {
  let safe = secret ? text.split(secret).join(mask(secret)) : text;
  safe = safe.replace(/\b(?:ek|sk)_[A-Za-z0-9_-]{6,}|\bsk-[A-Za-z0-9_-]{6,}/g, (key) => mask(key));
  $('error').textContent = safe;
}

function clearError() {
  $('error').textContent = '';
}

const STATE_LABELS = {
  idle: 'not connected',
  microphone: 'opening the microphone',
  offering: 'sending offer',
};

/**
 * `state` is `idle`, `microphone`, `offering`, or an RTCPeerConnection `connectionState`
 * (`connecting`, `connected`, `failed`, …).
 */
function setState(state) {
  $('state').dataset.state = state;
  $('state').textContent = STATE_LABELS[state] ?? state;
}

function secretLeft() {
  return secret === null ? 0 : Math.max(0, Math.round(expiresAt - Date.now() / 1000));
}

/**
 * Connect is possible with no connection under way or open, and, in the secret flow, with an
 * unexpired secret.
 */
function refreshConnect() {
  const busy = pc !== null && ['new', 'connecting', 'connected'].includes(pc.connectionState);
  $('connect').disabled = busy || (MODE === 'secret' && secretLeft() === 0);
}

function startCountdown() {
  clearInterval(timer);
  const tick = () => {
    const left = secretLeft();
    $('countdown').textContent = left > 0 ? `${left} s` : 'expired';
    $('countdown').dataset.seconds = String(left);
    if (left === 0) clearInterval(timer);
    refreshConnect();
  };
  tick();
  timer = setInterval(tick, 1000);
}

/**
 * A readable line for a non-2xx answer: the status, then the JSON error's message, code and request
 * id when the body has them (the token route's `{ error: { message, code, request_id } }` and
 * OpenAI's `{ error: { message, code } }` alike), or a short plain-text body.
 */
async function describeFailure(res) {
  const text = await res.text().catch(() => '');
  let line = `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
  let error;
  try {
    error = JSON.parse(text)?.error;
  } catch {
    error = undefined;
  }
  const requestId = error?.request_id ?? res.headers.get('x-request-id');
  if (typeof error?.message === 'string') line += `: ${error.message}`;
  else if (typeof error === 'string') line += `: ${error}`;
  else if (text && !text.trimStart().startsWith('<') && text.length <= 300) line += `: ${text.trim()}`;
  const extra = [error?.code && `code ${error.code}`, requestId && `request ${requestId}`].filter(Boolean);
  return extra.length > 0 ? `${line} (${extra.join(', ')})` : line;
}

function forgetSecret() {
  secret = null;
  expiresAt = 0;
  clearInterval(timer);
  $('result').hidden = true;
  refreshConnect();
}

$('mint').addEventListener('click', async () => {
  clearError();
  $('mint').disabled = true;
  try {
    let res;
    try {
      res = await fetch('/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(CLIENT_FIELDS),
      });
    } catch (err) {
      throw new Error(`the token route /session could not be reached (${err.message})`);
    }
    if (!res.ok) throw new Error(`the token route answered ${await describeFailure(res)}`);
    const body = await res.json().catch(() => null);
    const value = body?.client_secret?.value;
    if (typeof value !== 'string' || typeof body.client_secret.expires_at !== 'number') {
      throw new Error('the token route answered without a client_secret');
    }
    secret = value;
    expiresAt = body.client_secret.expires_at;
    $('model').textContent = body.session?.model ?? '(not reported)';
    $('secret').textContent = mask(secret);
    $('result').hidden = false;
    startCountdown();
  } catch (err) {
    forgetSecret();
    showError(`Could not get a session: ${err.message}`);
  } finally {
    $('mint').disabled = false;
  }
});

/** The secret flow's second step: the offer goes to the Realtime API, with the ephemeral key. */
async function offerToRealtime(sdp) {
  const url = `${REALTIME_BASE}/realtime/calls`;
  let res;
  try {
    res = await fetch(url, {
      method: 'POST',
      body: sdp,
      headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/sdp' },
    });
  } catch (err) {
    // A browser reports refused connections, DNS failures and CORS refusals all as this TypeError.
    throw new Error(`${url} could not be reached (${err.message}): offline, blocked, or refused by CORS`);
  }
  return readAnswer(url, res);
}

/**
 * The calls flow's one step: the offer goes to our own server, with the fields the page asks for
 * as the `session` part, the same shape the upstream's own multipart form takes. No key.
 */
async function offerToServer(sdp) {
  const url = '/call';
  const form = new FormData();
  form.append('sdp', new Blob([sdp], { type: 'application/sdp' }));
  form.append('session', new Blob([JSON.stringify(CLIENT_FIELDS)], { type: 'application/json' }));
  let res;
  try {
    res = await fetch(url, { method: 'POST', body: form });
  } catch (err) {
    throw new Error(`the call route ${url} could not be reached (${err.message})`);
  }
  return readAnswer(`the call route ${url}`, res);
}

/** The SDP answer of a 2xx, or an error that says what came back instead. */
async function readAnswer(what, res) {
  if (!res.ok) throw new Error(`${what} answered ${await describeFailure(res)}`);
  const answer = await res.text();
  if (!answer.startsWith('v=0')) {
    const type = res.headers.get('content-type') || 'no content type';
    throw new Error(`${what} answered HTTP ${res.status} with ${type}, not an SDP answer`);
  }
  return answer;
}

/** The microphone's stream; an error that names why when there is none. */
async function openMicrophone() {
  if (!navigator.mediaDevices?.getUserMedia) {
    throw new Error('this page cannot use a microphone here (it needs https or localhost)');
  }
  try {
    return await navigator.mediaDevices.getUserMedia({ audio: true });
  } catch (err) {
    throw new Error(`the microphone is not available (${err.name}: ${err.message})`);
  }
}

function stopMicrophone() {
  for (const track of microphone?.getTracks() ?? []) track.stop();
  microphone = null;
  $('microphone').textContent = 'off';
}

/** Shows what the Realtime API says about the session (session.created, session.updated). */
function showSession(session) {
  if (session === null || typeof session !== 'object') return;
  $('live-model').textContent = session.model ?? '(not reported)';
  $('live-voice').textContent = session.audio?.output?.voice ?? '(not reported)';
  $('live-instructions').textContent = session.instructions ?? '(none)';
  $('live').hidden = false;
}

function onServerEvent(message) {
  let event;
  try {
    event = JSON.parse(message.data);
  } catch {
    $('event').textContent = '(not JSON)';
    return;
  }
  $('event').textContent = event?.type ?? '(no type)';
  if (event?.type === 'session.created' || event?.type === 'session.updated') showSession(event.session);
  if (event?.type === 'error') showError(`The Realtime API reported: ${event.error?.message ?? 'an error'}`);
}

$('connect').addEventListener('click', async () => {
  clearError();
  pc?.close();
  stopMicrophone();
  const peer = new RTCPeerConnection();
  pc = peer;
  peer.ontrack = (event) => {
    $('audio').srcObject = event.streams[0] ?? new MediaStream([event.track]);
  };
  peer.onconnectionstatechange = () => {
    if (peer !== pc) return;
    setState(peer.connectionState);
    refreshConnect();
    if (peer.connectionState === 'failed') {
      stopMicrophone();
      showError('Could not connect: the WebRTC connection failed (no media path to the Realtime API)');
    }
  };
  // The Realtime API sends its events (session.created, …) on this data channel.
  peer.createDataChannel('oai-events').onmessage = onServerEvent;
  setState('microphone');
  refreshConnect();
  try {
    const stream = await openMicrophone();
    if (peer !== pc) {
      for (const track of stream.getTracks()) track.stop();
      return;
    }
    microphone = stream;
    const [track] = stream.getAudioTracks();
    // The microphone's track gives the offer its audio m-line (sendrecv: the model's voice comes back).
    peer.addTrack(track, stream);
    $('microphone').textContent = track.label || 'on';
    setState('offering');
    const offer = await peer.createOffer();
    await peer.setLocalDescription(offer);
    const answer = MODE === 'calls' ? await offerToServer(offer.sdp) : await offerToRealtime(offer.sdp);
    try {
      await peer.setRemoteDescription({ type: 'answer', sdp: answer });
    } catch (err) {
      throw new Error(`WebRTC rejected the SDP answer (${err.message})`);
    }
    if (peer === pc) setState(peer.connectionState);
  } catch (err) {
    peer.close();
    if (peer !== pc) return;
    stopMicrophone();
    setState('failed');
    refreshConnect();
    showError(`Could not connect: ${err.message}`);
  }
});

// The flow the server offers: the calls flow needs no secret, so Connect is ready at once.
for (const element of document.querySelectorAll('.secret-only')) element.hidden = MODE !== 'secret';
for (const element of document.querySelectorAll('.calls-only')) element.hidden = MODE !== 'calls';
refreshConnect();
