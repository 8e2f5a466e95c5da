// npm start: mints one Realtime session through the facade and prints it, secret masked.
// With OPENAI_API_KEY set it calls the real API. Without it, it needs no key and no internet: a
// local stand-in answers, behind Prism validating both directions against the pinned fragment.
//
// The stand-in answers like the live API does (STAND_IN_BETA=1: like a server that still has the
// beta contract). Live, POST /realtime/sessions is retired, so the one createRealtimeSession call
// makes two upstream requests: the beta path (404), then POST /realtime/client_secrets (200), whose
// answer the SDK translates back to the beta shape. One line per upstream request is printed, so
// the fallback is visible.
//
// Why Prism stays in front of both requests: in proxy mode with --errors, Prism turns a response
// *error* (a body that breaks its schema) into a 500, but a status code the operation does not
// declare is only a *warning*. The beta operation declares only 200, so the stand-in's 404 comes
// back unchanged (status and body), with the warning in an `sl-violations` header, and the SDK sees
// exactly what the live API would send it. The GA request and answer are validated like any other.
// Nothing is hidden either way: the warning is printed too (the `prism:` line), because it is true
// that the spec still describes an operation the live API no longer has.
// Prism forwards to the stand-in's /v1 base URL, so the stand-in sees the paths the real API sees.
import { createRealtimeSession, type ClientOptions, type Fetch } from '../src/index.js';
import { maskSecret } from '../src/internal/mask.js';
import { startPrism, type Prism } from './lib/prism.js';
import { standInBetaFromEnv, startStandIn, type StandIn } from './lib/stand-in.js';

/** Method and URL (origin and path: no credentials, no query) of a fetch call. */
function describeRequest(input: string | URL | Request, init?: RequestInit): [string, URL] {
  const request = input instanceof Request ? input : undefined;
  const method = (init?.method ?? request?.method ?? 'GET').toUpperCase();
  return [method, new URL(request ? request.url : String(input))];
}

/** What Prism flagged in an answer it passed on: its `sl-violations` header, one line each. */
function violations(header: string | null): string[] {
  if (!header) return [];
  try {
    const list = JSON.parse(header) as { severity?: string; message?: string }[];
    return list.map((v) => `${String(v.severity ?? 'violation').toLowerCase()}: ${v.message ?? ''}`);
  } catch {
    return [header];
  }
}

async function main(): Promise<void> {
  const real = Boolean(process.env.OPENAI_API_KEY);
  let standIn: StandIn | undefined;
  let prism: Prism | undefined;
  try {
    let client: ClientOptions;
    if (real) {
      const target = process.env.OPENAI_BASE_URL || 'https://api.openai.com/v1';
      console.log(`OPENAI_API_KEY is set: minting against the real API at ${target}.`);
      // One line per request, so a fallback (beta 404, then client_secrets) shows here too.
      const logging: Fetch = async (input, init) => {
        const [method, url] = describeRequest(input, init);
        const response = await fetch(input, init);
        console.log(`upstream: ${method} ${url.origin}${url.pathname} → ${response.status}`);
        return response;
      };
      client = { fetch: logging };
    } else {
      const beta = standInBetaFromEnv();
      standIn = await startStandIn({ beta, log: (line) => console.log(line) });
      prism = await startPrism({ mode: 'proxy', upstream: standIn.baseUrl });
      console.log(
        `OPENAI_API_KEY is not set: minting against a local stand-in at ${standIn.origin},\n` +
          `validated by Prism (${prism.baseUrl}) against openapi/realtime.yaml. No network, no key needed.\n` +
          (beta
            ? 'The stand-in serves the old beta contract (STAND_IN_BETA=1): POST /v1/realtime/sessions mints.'
            : 'The stand-in answers like the live API: POST /v1/realtime/sessions is retired (404) and\n' +
              'POST /v1/realtime/client_secrets mints. STAND_IN_BETA=1 serves the old beta contract.'),
      );
      const validated: Fetch = async (input, init) => {
        const [method, url] = describeRequest(input, init);
        const response = await fetch(input, init);
        for (const line of violations(response.headers.get('sl-violations'))) {
          console.log(`prism: ${method} ${url.pathname} → ${response.status} passed on unchanged; ${line}`);
        }
        return response;
      };
      client = { apiKey: 'sk-local-stand-in', baseUrl: prism.baseUrl, fetch: validated };
    }

    const session = await createRealtimeSession({ model: 'gpt-realtime', voice: 'verse' }, client);
    const expires = session.client_secret.expires_at;
    const secondsLeft = Math.round(expires - Date.now() / 1000);
    console.log(`\nsession      ${session.id ?? '(no id)'}`);
    console.log(`model        ${session.model ?? '(not reported)'}`);
    console.log(`expires at   ${new Date(expires * 1000).toISOString()} (${secondsLeft} s left)`);
    console.log(`secret       ${maskSecret(session.client_secret.value)}`);
  } finally {
    await prism?.close();
    await standIn?.close();
  }
}

main().catch((err: unknown) => {
  console.error(`npm start failed: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
  process.exitCode = 1;
});
