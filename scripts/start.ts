// npm start: mints one Realtime session through the facade and prints it, secret masked.
// With OPENAI_API_KEY set it calls the real API. Without it, it needs no key and no internet: a
// local stand-in answers, behind Prism validating both directions against the pinned fragment.
import { createRealtimeSession, type ClientOptions } from '../src/index.js';
import { maskSecret } from '../src/mask.js';
import { startPrism, type Prism } from './lib/prism.js';
import { startStandIn, type StandIn } from './lib/stand-in.js';

async function main(): Promise<void> {
  const real = Boolean(process.env.OPENAI_API_KEY);
  let standIn: StandIn | undefined;
  let prism: Prism | undefined;
  try {
    let client: ClientOptions;
    if (real) {
      const target = process.env.OPENAI_BASE_URL || 'https://api.openai.com/v1';
      console.log(`OPENAI_API_KEY is set: minting against the real API at ${target}.`);
      client = {};
    } else {
      standIn = await startStandIn();
      prism = await startPrism({ mode: 'proxy', upstream: standIn.origin });
      console.log(
        `OPENAI_API_KEY is not set: minting against a local stand-in at ${standIn.origin},\n` +
          `validated by Prism (${prism.baseUrl}) against openapi/realtime.yaml. No network, no key needed.`,
      );
      client = { apiKey: 'sk-local-stand-in', baseUrl: prism.baseUrl };
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
