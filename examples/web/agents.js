// The same token route, with the official OpenAI Agents SDK in the page: fetch an ephemeral key from
// /session, then let `RealtimeSession` (with its WebRTC transport) open the microphone, send the
// offer to `POST <realtime base>/realtime/calls` with the key, and configure the session. Its
// `connect()` resolves once the server acknowledged the agent's `session.update` with
// `session.updated`. The realtime base comes from `<meta name="realtime-base">`, as in app.js.
import { OpenAIRealtimeWebRTC, RealtimeAgent, RealtimeSession } from '@openai/agents-realtime';

const $ = (id) => document.getElementById(id);
const REALTIME_BASE = (
  document.querySelector('meta[name="realtime-base"]')?.content || 'https://api.openai.com/v1'
).replace(/\/+$/, '');

const mask = (value) => (value.length <= 8 ? '…' : `${value.slice(0, 5)}…${value.slice(-2)}`);
let secret = null;

function showError(text) {
  const safe = (secret ? text.split(secret).join(mask(secret)) : text).replace(
    /\bek_[A-Za-z0-9_-]{6,}/g,
    (key) => mask(key),
  );
  $('error').textContent = safe;
}

function setState(state) {
  $('state').dataset.state = state;
  $('state').textContent = state;
}

/** The token route's ephemeral key, as in app.js (the body asks for the same voice). */
async function mint() {
  const res = await fetch('/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ voice: 'verse' }),
  });
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new Error(`the token route answered HTTP ${res.status}: ${body?.error?.message ?? ''}`);
  if (typeof body?.client_secret?.value !== 'string')
    throw new Error('the token route sent no client_secret');
  return body.client_secret.value;
}

$('connect').addEventListener('click', async () => {
  $('connect').disabled = true;
  $('error').textContent = '';
  const events = [];
  try {
    setState('minting');
    secret = await mint();
    $('secret').textContent = mask(secret);
    const transport = new OpenAIRealtimeWebRTC({
      baseUrl: `${REALTIME_BASE}/realtime/calls`,
      audioElement: $('audio'),
    });
    transport.on('connection_change', setState);
    const agent = new RealtimeAgent({
      name: 'Assistant',
      instructions: 'You are a voice assistant built with the Agents SDK.',
    });
    const session = new RealtimeSession(agent, { transport, model: 'gpt-realtime' });
    session.on('transport_event', (event) => {
      events.push(event.type);
      $('events').textContent = events.join(', ');
      if (event.type === 'session.created')
        $('created-instructions').textContent = event.session?.instructions ?? '';
      if (event.type === 'session.updated')
        $('updated-instructions').textContent = event.session?.instructions ?? '';
    });
    session.on('error', ({ error }) => showError(`The session reported: ${error?.message ?? String(error)}`));
    const started = performance.now();
    await session.connect({ apiKey: secret });
    // How long connect() took: it waits for session.updated, or gives up waiting after 5 s.
    $('state').dataset.connectMs = String(Math.round(performance.now() - started));
  } catch (err) {
    setState('failed');
    showError(`Could not connect: ${err?.message ?? String(err)}`);
    $('connect').disabled = false;
  }
});
