// Packs the package the way npm publishes it, installs the tarball into a fresh project and uses it
// as a consumer would: ESM import, CJS require, a tsc type-check, and a real mint against the stand-in.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startStandIn, type StandIn } from '../../scripts/lib/stand-in.js';
import { createCaller } from '../helpers/webrtc.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const VERSION: string = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
let dir: string;
let upstream: StandIn;
let live: StandIn;

// Async on purpose: the stand-in upstream lives in this process, so a synchronous child would
// block the very event loop that has to answer it.
async function run(cmd: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await promisify(execFile)(cmd, args, {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return stdout;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'rs-consumer-'));
  // --ignore-scripts: pack the dist/ this run built (`npm test` builds before vitest). Without it the
  // `prepack` script would rebuild, and tsup empties dist/ first, under suites reading it in parallel.
  execFileSync('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', dir], {
    cwd: ROOT,
    stdio: 'pipe',
  });
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error('npm pack produced no tarball');
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', `./${tarball}`]);
  // The beta contract: the packed package's beta calls reach the beta paths and mint there.
  upstream = await startStandIn({ beta: true });
  // The live API of today: the beta paths answer 404.
  live = await startStandIn();
}, 180_000);

afterAll(async () => {
  await upstream?.close();
  await live?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the packed package in a consumer project', () => {
  it('ships only dist, the ./node stub for node10 resolution, README, LICENSE and package.json', () => {
    const listing = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    const files: string[] = JSON.parse(listing)[0].files.map((f: { path: string }) => f.path);
    const extras = ['README.md', 'package.json', 'LICENSE', 'node/package.json'];
    expect(files.filter((f) => !f.startsWith('dist/') && !extras.includes(f))).toEqual([]);
    expect(files).toContain('dist/index.js');
    expect(files).toContain('dist/index.cjs');
    expect(files).toContain('dist/index.d.ts');
  });

  it('mints a session through `import` (ESM)', async () => {
    writeFileSync(
      path.join(dir, 'esm.mjs'),
      `import { createRealtimeSession, ApiError } from 'realtime-sessions';
       const s = await createRealtimeSession({ model: 'gpt-realtime' }, { baseUrl: process.env.BASE_URL });
       console.log(JSON.stringify({ model: s.model, hasSecret: typeof s.client_secret.value, apiError: typeof ApiError }));`,
    );
    const out = JSON.parse(
      await run('node', ['esm.mjs'], { BASE_URL: upstream.baseUrl, OPENAI_API_KEY: 'sk-consumer-esm' }),
    );
    expect(out).toEqual({ model: 'gpt-realtime', hasSecret: 'string', apiError: 'function' });
    const seen = upstream.requests.at(-1)!;
    expect(seen.headers.authorization).toBe('Bearer sk-consumer-esm');
    // The build writes package.json's version into the bundle; a broken define would send 0.0.0-dev.
    expect(seen.headers['user-agent']).toBe(`realtime-sessions/${VERSION}`);
  });

  it('mints a GA client secret and a transcription session through `import` (ESM)', async () => {
    writeFileSync(
      path.join(dir, 'esm-ga.mjs'),
      `import { createRealtimeClientSecret, RealtimeApi } from 'realtime-sessions';
       const minted = await createRealtimeClientSecret(
         { expires_after: { anchor: 'created_at', seconds: 120 }, session: { type: 'realtime', model: 'gpt-realtime' } },
         { baseUrl: process.env.BASE_URL },
       );
       const t = await new RealtimeApi({ baseUrl: process.env.BASE_URL }).createRealtimeTranscriptionSession({});
       console.log(JSON.stringify({ value: typeof minted.value, type: minted.session.type, secret: typeof t.client_secret.value }));`,
    );
    const out = JSON.parse(
      await run('node', ['esm-ga.mjs'], { BASE_URL: upstream.baseUrl, OPENAI_API_KEY: 'sk-consumer-ga' }),
    );
    expect(out).toEqual({ value: 'string', type: 'realtime', secret: 'string' });
    expect(upstream.requests.slice(-2).map((r) => r.url)).toEqual([
      '/v1/realtime/client_secrets',
      '/v1/realtime/transcription_sessions',
    ]);
  });

  it('mints a session through `require` (CJS)', async () => {
    writeFileSync(
      path.join(dir, 'cjs.cjs'),
      `const { RealtimeApi } = require('realtime-sessions');
       new RealtimeApi({ baseUrl: process.env.BASE_URL })
         .createRealtimeSessionWithHttpInfo({ voice: 'verse' })
         .then((r) => console.log(JSON.stringify({ status: r.status, voice: r.data.voice })));`,
    );
    const out = JSON.parse(
      await run('node', ['cjs.cjs'], { BASE_URL: upstream.baseUrl, OPENAI_API_KEY: 'sk-consumer-cjs' }),
    );
    expect(out).toEqual({ status: 200, voice: 'verse' });
  });

  it('serves the token route from `realtime-sessions/node` through import and require', async () => {
    const script = (load: string) => `${load}
       const server = http.createServer(toNodeHandler(createSessionHandler({
         endpoint: 'sessions',
         baseUrl: process.env.BASE_URL, session: { model: 'gpt-realtime' }, allowFromClient: ['voice'],
       })));
       server.listen(0, '127.0.0.1', async () => {
         const url = 'http://127.0.0.1:' + server.address().port + '/session';
         const post = (body) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
         const ok = await post('{"voice":"verse"}');
         const refused = await post('{"model":"x"}');
         console.log(JSON.stringify({ ok: ok.status, secret: typeof (await ok.json()).client_secret.value, refused: refused.status }));
         server.close();
       });`;
    writeFileSync(
      path.join(dir, 'route.mjs'),
      script(`import http from 'node:http';
       import { createSessionHandler } from 'realtime-sessions';
       import { toNodeHandler } from 'realtime-sessions/node';`),
    );
    writeFileSync(
      path.join(dir, 'route.cjs'),
      script(`const http = require('node:http');
       const { createSessionHandler } = require('realtime-sessions');
       const { toNodeHandler } = require('realtime-sessions/node');`),
    );
    for (const file of ['route.mjs', 'route.cjs']) {
      const before = upstream.requests.length;
      const out = JSON.parse(
        await run('node', [file], { BASE_URL: upstream.baseUrl, OPENAI_API_KEY: 'sk-consumer-route' }),
      );
      expect(out, file).toEqual({ ok: 200, secret: 'string', refused: 400 });
      // Only the allowed request reached the upstream, with the pinned model and the browser's voice.
      expect(upstream.requests.length - before, file).toBe(1);
      expect(JSON.parse(upstream.requests.at(-1)!.body), file).toEqual({
        model: 'gpt-realtime',
        voice: 'verse',
      });
    }
  });

  it('installs the CLI: `npx realtime-sessions create` mints against the stand-in, secret masked', async () => {
    const out = await run(
      'npx',
      ['--no-install', 'realtime-sessions', 'create', '--json', '--base-url', upstream.baseUrl],
      {
        OPENAI_API_KEY: 'sk-consumer-cli',
      },
    );
    const printed = JSON.parse(out);
    expect(printed.model).toBe('gpt-realtime');
    expect(printed.client_secret.value).toMatch(/^.{1,6}….{1,3}$/);
    expect(upstream.requests.at(-1)!.headers.authorization).toBe('Bearer sk-consumer-cli');
    expect(await run('npx', ['--no-install', 'realtime-sessions', '--help'])).toContain('client-secret');
  });

  it('type-checks a consumer file with tsc (module nodenext)', async () => {
    writeFileSync(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: [],
          lib: ['ES2022', 'DOM'],
        },
        files: ['consumer.mts'],
      }),
    );
    writeFileSync(
      path.join(dir, 'consumer.mts'),
      `import { RealtimeApi, ApiError, type RealtimeSessionCreateRequest, type RealtimeSessionCreateResponse } from 'realtime-sessions';
       const request: RealtimeSessionCreateRequest = { model: 'gpt-realtime', modalities: ['audio', 'text'] };
       export async function mint(api: RealtimeApi): Promise<string> {
         try {
           const session: RealtimeSessionCreateResponse = await api.createRealtimeSession(request);
           return session.client_secret.value;
         } catch (err) {
           if (err instanceof ApiError) return String(err.status);
           throw err;
         }
       }
       // @ts-expect-error 'video' is not a modality
       export const bad: RealtimeSessionCreateRequest = { modalities: ['video'] };`,
    );
    const tsc = path.join(ROOT, 'node_modules/typescript/bin/tsc');
    await expect(run(process.execPath, [tsc, '-p', 'tsconfig.json'])).resolves.toBeDefined();
  });

  describe('tried as a new user would, against the live API of today (beta paths retired)', () => {
    const paths = (since: number) => live.requests.slice(since).map((r) => `${r.url} ${r.status}`);

    it("the README's first example mints with the seed's call, through the fallback", async () => {
      writeFileSync(
        path.join(dir, 'quickstart.mjs'),
        `import { createRealtimeSession } from 'realtime-sessions';
         const session = await createRealtimeSession({ model: 'gpt-realtime', voice: 'verse' });
         console.log(JSON.stringify({ secret: session.client_secret.value.slice(0, 3), voice: session.voice }));`,
      );
      const before = live.requests.length;
      const out = JSON.parse(
        await run('node', ['quickstart.mjs'], {
          OPENAI_BASE_URL: live.baseUrl,
          OPENAI_API_KEY: 'sk-consumer-new',
        }),
      );
      expect(out).toEqual({ secret: 'ek_', voice: 'verse' });
      expect(paths(before)).toEqual(['/v1/realtime/sessions 404', '/v1/realtime/client_secrets 200']);
    });

    it('the token route with default options mints', async () => {
      writeFileSync(
        path.join(dir, 'route-default.mjs'),
        `import http from 'node:http';
         import { createSessionHandler } from 'realtime-sessions';
         import { toNodeHandler } from 'realtime-sessions/node';
         const server = http.createServer(toNodeHandler(createSessionHandler()));
         server.listen(0, '127.0.0.1', async () => {
           const res = await fetch('http://127.0.0.1:' + server.address().port + '/session', {
             method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}',
           });
           const body = await res.json();
           console.log(JSON.stringify({ status: res.status, secret: body.client_secret.value.slice(0, 3) }));
           server.close();
         });`,
      );
      const before = live.requests.length;
      const out = JSON.parse(
        await run('node', ['route-default.mjs'], {
          OPENAI_BASE_URL: live.baseUrl,
          OPENAI_API_KEY: 'sk-consumer-new',
        }),
      );
      expect(out).toEqual({ status: 200, secret: 'ek_' });
      expect(paths(before)).toEqual(['/v1/realtime/client_secrets 200']);
    });

    it('createRealtimeCall returns the SDP answer and a call id the upstream knows; hangup ends it', async () => {
      writeFileSync(
        path.join(dir, 'call.mjs'),
        `import { createRealtimeCall, hangupRealtimeCall } from 'realtime-sessions';
         import { readFileSync } from 'node:fs';
         const offer = readFileSync('offer.sdp', 'utf8');
         const { sdp, callId } = await createRealtimeCall({ sdp: offer, session: { type: 'realtime', model: 'gpt-realtime' } });
         await hangupRealtimeCall(callId);
         console.log(JSON.stringify({ answer: sdp.slice(0, 5), callId }));`,
      );
      // A real offer (the stand-in answers with a real WebRTC peer), made here, read by the app.
      const caller = await createCaller();
      onTestFinished(() => caller.close());
      writeFileSync(path.join(dir, 'offer.sdp'), caller.sdp);
      const before = live.requests.length;
      const out = JSON.parse(
        await run('node', ['call.mjs'], { OPENAI_BASE_URL: live.baseUrl, OPENAI_API_KEY: 'sk-consumer-new' }),
      ) as { answer: string; callId: string };
      expect(out.answer).toBe('v=0\r\n');
      expect(out.callId).toMatch(/^rtc_[0-9a-f]+$/);
      expect(paths(before)).toEqual([
        '/v1/realtime/calls 201',
        `/v1/realtime/calls/${out.callId}/hangup 200`,
      ]);
      expect(live.calls.get(out.callId)).toMatchObject({
        via: 'multipart',
        state: 'ended',
        session: { model: 'gpt-realtime' },
      });
    });

    it('a signed realtime.call.incoming webhook ends in an accept upstream; a forged one in nothing', async () => {
      const secretBytes = 'consumer-webhook-secret-bytes-32';
      const secret = `whsec_${Buffer.from(secretBytes).toString('base64')}`;
      const accepted = live.incomingCall();
      const forged = live.incomingCall();
      writeFileSync(
        path.join(dir, 'webhook.mjs'),
        `import http from 'node:http';
         import { createHmac } from 'node:crypto';
         import { createCallWebhookHandler } from 'realtime-sessions';
         import { toNodeHandler } from 'realtime-sessions/node';
         const decided = [];
         const route = createCallWebhookHandler({
           onIncomingCall: (event) => {
             decided.push(event.data.call_id);
             return { accept: { type: 'realtime', model: 'gpt-realtime', instructions: 'Answer the phone.' } };
           },
         });
         const server = http.createServer(toNodeHandler(route));
         const event = (callId) => JSON.stringify({ id: 'evt_' + callId, object: 'event', type: 'realtime.call.incoming',
           created_at: Math.floor(Date.now() / 1000), data: { call_id: callId, sip_headers: [] } });
         const post = (body, key) => {
           const id = 'msg_' + Math.random().toString(36).slice(2);
           const timestamp = String(Math.floor(Date.now() / 1000));
           const signature = createHmac('sha256', key).update(id + '.' + timestamp + '.' + body).digest('base64');
           return fetch('http://127.0.0.1:' + server.address().port + '/webhooks/openai', {
             method: 'POST',
             headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': 'v1,' + signature },
             body,
           });
         };
         server.listen(0, '127.0.0.1', async () => {
           const good = await post(event(process.argv[2]), Buffer.from(${JSON.stringify(secretBytes)}));
           const bad = await post(event(process.argv[3]), Buffer.from('not-the-secret-not-the-secret-00'));
           console.log(JSON.stringify({ good: good.status, bad: bad.status, decided }));
           server.close();
         });`,
      );
      const before = live.requests.length;
      const out = JSON.parse(
        await run('node', ['webhook.mjs', accepted, forged], {
          OPENAI_BASE_URL: live.baseUrl,
          OPENAI_API_KEY: 'sk-consumer-new',
          OPENAI_WEBHOOK_SECRET: secret,
        }),
      ) as { good: number; bad: number; decided: string[] };
      expect(out.good).toBe(200);
      expect(out.bad).toBeGreaterThanOrEqual(400);
      expect(out.bad).toBeLessThan(500);
      // onIncomingCall saw only the verified call, and the upstream only its accept.
      expect(out.decided).toEqual([accepted]);
      expect(paths(before)).toEqual([`/v1/realtime/calls/${accepted}/accept 200`]);
      expect(live.requests.at(-1)!.headers.authorization).toBe('Bearer sk-consumer-new');
      expect(live.calls.get(accepted)).toMatchObject({
        state: 'accepted',
        session: { instructions: 'Answer the phone.' },
      });
      expect(live.calls.get(forged)!.state).toBe('incoming');
    });

    it.each([
      ['create', ['/v1/realtime/sessions 404', '/v1/realtime/client_secrets 200']],
      ['client-secret', ['/v1/realtime/client_secrets 200']],
      ['transcription', ['/v1/realtime/transcription_sessions 404', '/v1/realtime/client_secrets 200']],
    ])('the CLI: `npx realtime-sessions %s` mints, secret masked', async (command, expected) => {
      const before = live.requests.length;
      const out = await run('npx', ['--no-install', 'realtime-sessions', command], {
        OPENAI_API_KEY: 'sk-consumer-new',
        OPENAI_BASE_URL: live.baseUrl,
      });
      expect(out).toMatch(/^secret\s+ek_[0-9a-f]{2}…[0-9a-f]{2}$/m);
      expect(paths(before)).toEqual(expected);
    });
  });
});
