// The generated types the webhook modules use, in one place, as src/client/types.ts is for the
// client: the event of the pinned `realtime_call_incoming` webhook and the bodies of the three call
// decisions. Generated from the pinned fragment (npm run generate); never edit by hand.
export type {
  RealtimeCallReferRequest,
  RealtimeCallRejectRequest,
  RealtimeSessionCreateRequestGA,
  WebhookRealtimeCallIncoming,
} from '../../generated/client.js';
