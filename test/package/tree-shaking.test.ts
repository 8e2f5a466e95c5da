// What a bundler keeps of the built package (dist/index.js, as `npm test` builds it before vitest)
// for apps that import one thing. The size itself is gated by size-limit in `npm run build`; these
// tests show *why* it holds: an operation's code reaches only the apps that use it, so adding
// operations to the package grows no one else's bundle.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = path.join(ROOT, 'dist/index.js');

const PATHS = [
  '/realtime/sessions',
  '/realtime/client_secrets',
  '/realtime/transcription_sessions',
  '/realtime/calls',
  '/realtime/calls/{call_id}/accept',
  '/realtime/calls/{call_id}/hangup',
  '/realtime/calls/{call_id}/refer',
  '/realtime/calls/{call_id}/reject',
  '/realtime/translations/client_secrets',
];

async function bundle(imports: string): Promise<string> {
  const result = await build({
    stdin: {
      contents: `import { ${imports} } from ${JSON.stringify(DIST)};\nconsole.log(${imports});`,
      resolveDir: ROOT,
      loader: 'js',
    },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

/** Which operation paths the bundle carries, in PATHS order. */
function operationsIn(code: string): string[] {
  // Quoted, so '/realtime/sessions' does not match inside '/realtime/transcription_sessions'.
  return PATHS.filter((p) => code.includes(`"${p}"`) || code.includes(`'${p}'`) || code.includes(`\`${p}\``));
}

describe('tree-shaking of dist/index.js', () => {
  it('dist/index.js exists (npm test builds it before vitest)', () => {
    expect(existsSync(DIST), 'run `npm run build` first').toBe(true);
  });

  it('an app importing only createRealtimeSession carries that operation and the GA one it falls back to', async () => {
    const code = await bundle('createRealtimeSession');
    expect(operationsIn(code)).toEqual(['/realtime/sessions', '/realtime/client_secrets']);
    // The translation (its format table) comes with it; the token handler does not.
    expect(code).toContain('g711_ulaw');
    expect(code).not.toContain('allowFromClient');
  });

  it.each([
    ['createRealtimeTranscriptionSession', ['/realtime/client_secrets', '/realtime/transcription_sessions']],
  ])('an app importing only %s carries its own operation and the GA fallback', async (name, expected) => {
    expect(operationsIn(await bundle(name))).toEqual(expected);
  });

  it('an app importing only createRealtimeClientSecret carries only its own operation, and no translation', async () => {
    const code = await bundle('createRealtimeClientSecret');
    expect(operationsIn(code)).toEqual(['/realtime/client_secrets']);
    expect(code).not.toContain('g711_ulaw');
    expect(code).not.toContain('BetaEndpointRetiredError');
    expect(code).not.toContain('beta_api_shape_disabled');
    // Nor the call operations' wire formats (src/client/wire.ts).
    expect(code).not.toContain('multipart/form-data');
    expect(code).not.toContain('application/sdp');
  });

  it('an app importing only createRealtimeCall carries its multipart encoder and SDP reader, and no other operation', async () => {
    const code = await bundle('createRealtimeCall');
    expect(operationsIn(code)).toEqual(['/realtime/calls']);
    expect(code).toContain('multipart/form-data; boundary=');
    expect(code).not.toContain('g711_ulaw');
  });

  it('an app importing only hangupRealtimeCall carries its path template and no body encoder', async () => {
    const code = await bundle('hangupRealtimeCall');
    expect(operationsIn(code)).toEqual(['/realtime/calls/{call_id}/hangup']);
    expect(code).not.toContain('multipart/form-data');
  });

  it('the class carries every operation, and costs more than one function: the measure is not blind', async () => {
    const one = await bundle('createRealtimeSession');
    const cls = await bundle('RealtimeApi');
    expect(operationsIn(cls)).toEqual(PATHS);
    expect(cls.length).toBeGreaterThan(one.length);
  });
});
