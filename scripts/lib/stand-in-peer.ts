// The stand-in's Realtime peer: a real WebRTC answerer (werift, pure TypeScript, no binary), so a
// page or a test can really connect to POST /v1/realtime/calls with no internet. It speaks the
// part of the Realtime protocol a client needs to connect and configure: on the `oai-events` data
// channel it sends `session.created` with the effective session once the channel opens, and
// answers each `session.update` with `session.updated`. It answers the audio section sendrecv, as
// the real API does, so a page gets the model's (here silent) track; no audio is produced.
import { randomBytes } from 'node:crypto';
import { RTCPeerConnection, type RTCDataChannel } from 'werift';

/** One answered call: its connection, and the events it sent and received, for tests to assert on. */
export interface StandInPeer {
  readonly connection: RTCPeerConnection;
  /** The session as the peer holds it: the call's session, then each `session.update` merged in. */
  session: Record<string, unknown>;
  /** Every event received on `oai-events`, parsed. */
  readonly received: unknown[];
  /** Every event sent on `oai-events`. */
  readonly sent: unknown[];
  close(): Promise<void>;
}

/**
 * ICE for peers on this machine: IPv4, with 127.0.0.1 among the host candidates (werift's
 * `iceInterfaceAddresses` did not connect here). The test callers use the same.
 */
export const LOOPBACK_ICE = { iceUseIpv6: false, iceAdditionalHostAddresses: ['127.0.0.1'] };

const eventId = () => `event_${randomBytes(8).toString('hex')}`;

/**
 * Answers `offer` with a real SDP answer, ICE candidates included (127.0.0.1 among them: the
 * stand-in serves this machine). Throws when werift cannot use the offer; the stand-in answers that 400.
 */
export async function answerOffer(
  offer: string,
  session: Record<string, unknown>,
): Promise<{ sdp: string; peer: StandInPeer }> {
  const connection = new RTCPeerConnection(LOOPBACK_ICE);
  const peer: StandInPeer = {
    connection,
    session,
    received: [],
    sent: [],
    close: () => connection.close(),
  };
  connection.onDataChannel.subscribe((channel) => {
    if (channel.label === 'oai-events') speak(peer, channel);
  });
  try {
    await connection.setRemoteDescription({ type: 'offer', sdp: offer });
    // The model's voice: like the real API, the answer's audio section is sendrecv, so the page gets
    // a remote audio track (its `track` event) to play. No audio is sent on it.
    for (const transceiver of connection.getTransceivers()) {
      if (transceiver.kind === 'audio') transceiver.setDirection('sendrecv');
    }
    await connection.setLocalDescription(await connection.createAnswer());
  } catch (error) {
    await connection.close();
    throw error;
  }
  return { sdp: connection.localDescription!.sdp, peer };
}

/** The Realtime events the peer sends and answers on `oai-events`. */
function speak(peer: StandInPeer, channel: RTCDataChannel): void {
  const send = (event: Record<string, unknown>) => {
    peer.sent.push(event);
    channel.send(JSON.stringify(event));
  };
  const created = () => send({ type: 'session.created', event_id: eventId(), session: peer.session });
  if (channel.readyState === 'open') created();
  else channel.stateChanged.subscribe((state) => state === 'open' && created());
  channel.onMessage.subscribe((data) => {
    let event: { type?: unknown; session?: unknown };
    try {
      event = JSON.parse(data.toString()) as typeof event;
    } catch {
      return send({
        type: 'error',
        event_id: eventId(),
        error: { type: 'invalid_request_error', message: 'not JSON' },
      });
    }
    peer.received.push(event);
    if (event.type === 'session.update' && event.session !== null && typeof event.session === 'object') {
      peer.session = { ...peer.session, ...(event.session as Record<string, unknown>) };
      send({ type: 'session.updated', event_id: eventId(), session: peer.session });
    }
  });
}
