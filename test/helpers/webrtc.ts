// A real WebRTC caller for the stand-in's Realtime peer (werift, in Node): an offer with an audio
// transceiver and the `oai-events` data channel, as a page makes it, and what the peer sends back.
import { RTCPeerConnection } from 'werift';
import { LOOPBACK_ICE } from '../../scripts/lib/stand-in-peer.js';

export interface Caller {
  /** The SDP offer, ICE candidates included. */
  sdp: string;
  /** Applies the SDP answer and resolves once the connection is `connected`. */
  connect(answer: string, timeoutMs?: number): Promise<void>;
  /** Resolves with the first event of `type` received on `oai-events`. */
  next(type: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Sends a client event on `oai-events` (once it is open). */
  send(event: Record<string, unknown>): void;
  close(): Promise<void>;
}

export async function createCaller(): Promise<Caller> {
  const pc = new RTCPeerConnection(LOOPBACK_ICE);
  pc.addTransceiver('audio', { direction: 'sendrecv' });
  const channel = pc.createDataChannel('oai-events');
  const events: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  channel.onMessage.subscribe((data) => {
    events.push(JSON.parse(data.toString()) as Record<string, unknown>);
    for (const wake of waiters.splice(0)) wake();
  });
  await pc.setLocalDescription(await pc.createOffer());
  const within = <T>(ms: number, what: string, run: (done: (v: T) => void) => void) =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms);
      run((value) => {
        clearTimeout(timer);
        resolve(value);
      });
    });
  return {
    sdp: pc.localDescription!.sdp,
    async connect(answer, timeoutMs = 10_000) {
      const connected = within<void>(timeoutMs, 'connected state', (done) => {
        pc.connectionStateChange.subscribe((state) => state === 'connected' && done());
      });
      await pc.setRemoteDescription({ type: 'answer', sdp: answer });
      await connected;
    },
    next(type, timeoutMs = 10_000) {
      return within(timeoutMs, `${type} event`, (done) => {
        const look = () => {
          const found = events.find((e) => e.type === type);
          if (found) done(found);
          else waiters.push(look);
        };
        look();
      });
    },
    send(event) {
      channel.send(JSON.stringify(event));
    },
    close: () => pc.close(),
  };
}
