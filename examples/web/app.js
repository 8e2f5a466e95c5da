// Browser side of the token flow: fetch a session from our own server, never from OpenAI directly.
const $ = (id) => document.getElementById(id);
let secret = null;
let session = null;
let timer = null;

function mask(value) {
  return value.length <= 8 ? '…' : `${value.slice(0, 5)}…${value.slice(-2)}`;
}

function startCountdown(expiresAt) {
  clearInterval(timer);
  const tick = () => {
    const left = Math.max(0, Math.round(expiresAt - Date.now() / 1000));
    $('countdown').textContent = left > 0 ? `${left} s` : 'expired';
    $('countdown').dataset.seconds = String(left);
    if (left === 0) {
      clearInterval(timer);
      $('connect').disabled = true;
    }
  };
  tick();
  timer = setInterval(tick, 1000);
}

$('mint').addEventListener('click', async () => {
  $('error').textContent = '';
  try {
    const res = await fetch('/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ voice: 'verse' }),
    });
    const body = await res.json();
    if (!res.ok) throw new Error(body?.error?.message ?? `HTTP ${res.status}`);
    secret = body.client_secret.value;
    session = body.session;
    $('model').textContent = body.session.model ?? '(not reported)';
    $('secret').textContent = mask(secret);
    $('result').hidden = false;
    $('connect').disabled = false;
    startCountdown(body.client_secret.expires_at);
  } catch (err) {
    $('error').textContent = `Could not get a session: ${err.message}`;
  }
});

$('connect').addEventListener('click', async () => {
  // The real flow: an RTCPeerConnection whose SDP offer is POSTed to the Realtime API with
  // `Authorization: Bearer ${secret}`. Not exercised in tests: they run without internet.
  const pc = new RTCPeerConnection();
  pc.addTransceiver('audio');
  const offer = await pc.createOffer();
  await pc.setLocalDescription(offer);
  // A GA client secret (its session has a `type`) connects through POST /v1/realtime/calls, which
  // reads the session config from the secret; a beta session connects through /v1/realtime?model=.
  const url =
    session?.type === undefined
      ? `https://api.openai.com/v1/realtime?model=${encodeURIComponent(session?.model ?? 'gpt-realtime')}`
      : 'https://api.openai.com/v1/realtime/calls';
  const res = await fetch(url, {
    method: 'POST',
    body: offer.sdp,
    headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/sdp' },
  });
  await pc.setRemoteDescription({ type: 'answer', sdp: await res.text() });
});
