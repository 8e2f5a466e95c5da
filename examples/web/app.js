// Browser side of the token flow: fetch a session from our own server, never from OpenAI directly,
// then connect to the Realtime API over WebRTC with the short-lived client secret.
//
// Every secret, whichever mode the token route mints in, is a GA client secret (upstream retired the
// beta endpoints in 2026; the route's sessions mode falls back to GA), so the page always connects
// through the GA `POST <realtime base>/realtime/calls`, never the retired `/v1/realtime?model=`.
// The realtime base is `https://api.openai.com/v1` unless the server that sent this page rewrote
// `<meta name="realtime-base">` in index.html (examples/web/server.ts does, for tests and the
// stand-in). It is read from the page only, never from the URL, so a link cannot redirect the secret.
const $ = (id) => document.getElementById(id);
const REALTIME_BASE = (
  document.querySelector('meta[name="realtime-base"]')?.content || 'https://api.openai.com/v1'
).replace(/\/+$/, '');

let secret = null;
let expiresAt = 0;
let timer = null;
/** The current RTCPeerConnection, if any. */
let pc = null;

function mask(value) {
  return value.length <= 8 ? '…' : `${value.slice(0, 5)}…${value.slice(-2)}`;
}

/** Shows `text` in the alert; any ephemeral key in it (an upstream may echo one) is masked. */
function showError(text) {
  let safe = secret ? text.split(secret).join(mask(secret)) : text;
  safe = safe.replace(/\bek_[A-Za-z0-9_-]{6,}/g, (key) => mask(key));
  $('error').textContent = safe;
}

function clearError() {
  $('error').textContent = '';
}

const STATE_LABELS = { idle: 'not connected', offering: 'sending offer' };

/** `state` is `idle`, `offering`, or an RTCPeerConnection `connectionState` (`connected`, `failed`, …). */
function setState(state) {
  $('state').dataset.state = state;
  $('state').textContent = STATE_LABELS[state] ?? state;
}

function secretLeft() {
  return secret === null ? 0 : Math.max(0, Math.round(expiresAt - Date.now() / 1000));
}

/** Connect is possible with an unexpired secret and no connection under way or open. */
function refreshConnect() {
  const busy = pc !== null && ['new', 'connecting', 'connected'].includes(pc.connectionState);
  $('connect').disabled = secretLeft() === 0 || busy;
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
        body: JSON.stringify({ voice: 'verse' }),
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

$('connect').addEventListener('click', async () => {
  clearError();
  pc?.close();
  // The offer needs an audio m-line for the model's voice. To talk to it, add the microphone
  // instead: `pc.addTrack(track, stream)` with a track from navigator.mediaDevices.getUserMedia.
  const peer = new RTCPeerConnection();
  pc = peer;
  peer.addTransceiver('audio');
  peer.ontrack = (event) => {
    $('audio').srcObject = event.streams[0] ?? new MediaStream([event.track]);
  };
  peer.onconnectionstatechange = () => {
    if (peer !== pc) return;
    setState(peer.connectionState);
    refreshConnect();
    if (peer.connectionState === 'failed') {
      showError('Could not connect: the WebRTC connection failed (no media path to the Realtime API)');
    }
  };
  // The Realtime API sends its events (session.created, …) on this data channel.
  const events = peer.createDataChannel('oai-events');
  events.onmessage = (message) => {
    let type = '(not JSON)';
    try {
      type = JSON.parse(message.data)?.type ?? '(no type)';
    } catch {
      // keep the placeholder
    }
    $('event').textContent = type;
  };
  setState('offering');
  refreshConnect();

  const url = `${REALTIME_BASE}/realtime/calls`;
  try {
    const offer = await peer.createOffer();
    await peer.setLocalDescription(offer);
    let res;
    try {
      res = await fetch(url, {
        method: 'POST',
        body: offer.sdp,
        headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/sdp' },
      });
    } catch (err) {
      // A browser reports refused connections, DNS failures and CORS refusals all as this TypeError.
      throw new Error(`${url} could not be reached (${err.message}): offline, blocked, or refused by CORS`);
    }
    if (!res.ok) throw new Error(`${url} answered ${await describeFailure(res)}`);
    const answer = await res.text();
    if (!answer.startsWith('v=0')) {
      const type = res.headers.get('content-type') || 'no content type';
      throw new Error(`${url} answered HTTP ${res.status} with ${type}, not an SDP answer`);
    }
    try {
      await peer.setRemoteDescription({ type: 'answer', sdp: answer });
    } catch (err) {
      throw new Error(`WebRTC rejected the SDP answer (${err.message})`);
    }
    if (peer === pc) setState(peer.connectionState);
  } catch (err) {
    peer.close();
    if (peer !== pc) return;
    setState('failed');
    refreshConnect();
    showError(`Could not connect: ${err.message}`);
  }
});
