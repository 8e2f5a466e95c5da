// --help for the flags and variables of "The CLI a person can live with": the overview and every
// command's page name --timeout, --max-retries, their variables, progress and --json errors.
import { describe, expect, it } from 'vitest';
import { cliRunner } from './support.js';

const run = cliRunner({ apiKey: 'sk-cli-help-KEY-0123456789abcdef', nowMs: 1_900_000_000_000 });

describe('the overview', () => {
  it('lists the global flags, every variable, progress, JSON errors and exit codes', async () => {
    const r = await run(['--help']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^Usage: realtime-sessions \[flags\] <command> \[flags\]\n/);
    expect(r.stdout).toMatch(/^Global flags, before or after the command/m);
    for (const flag of ['--base-url URL', '--timeout MS', '--max-retries N', '--json', '--show-secret']) {
      expect(r.stdout).toMatch(new RegExp(`^  ${flag} `, 'm'));
    }
    expect(r.stdout).toMatch(/^ {2}-h, --help /m);
    expect(r.stdout).toMatch(/^ {2}-v, --version /m);
    for (const name of [
      'OPENAI_API_KEY',
      'OPENAI_BASE_URL',
      'OPENAI_ORG_ID',
      'OPENAI_PROJECT_ID',
      'OPENAI_TIMEOUT_MS',
      'OPENAI_MAX_RETRIES',
    ]) {
      expect(r.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
    }
    expect(r.stdout).toMatch(/default: \$OPENAI_TIMEOUT_MS, else 60000/);
    expect(r.stdout).toMatch(/default: \$OPENAI_MAX_RETRIES, else 2/);
    expect(r.stdout).toMatch(/^Progress: when stderr is a terminal/m);
    expect(r.stdout).toContain('{"error":{"name","message","status","requestId"}}');
    expect(r.stdout).toMatch(/^Exit codes: 0 ok, 1 API or network error, 2 bad usage or configuration\.$/m);
  });
});

describe('each command’s page', () => {
  it.each([
    ['create', ['--model M', '--voice V', '--instructions TEXT', '--beta-endpoints MODE']],
    ['client-secret', ['--model M', '--voice V', '--instructions TEXT', '--expires-after SECONDS']],
    ['transcription', ['--model M', '--language L', '--beta-endpoints MODE']],
    ['translation', ['--model M', '--language L', '--transcription-model M', '--expires-after SECONDS']],
  ])('%s: its flags in the usage line and listed, then the global ones', async (command, own) => {
    const r = await run([command, '--help']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const usage = own.map((flag) => ` [${flag}]`).join('');
    expect(r.stdout).toMatch(
      new RegExp(`^Usage: realtime-sessions ${command}${escape(usage)} \\[global flags\\]\n`),
    );
    for (const flag of [
      ...own,
      '--base-url URL',
      '--timeout MS',
      '--max-retries N',
      '--json',
      '--show-secret',
    ]) {
      expect(r.stdout).toMatch(new RegExp(`^  ${escape(flag)} `, 'm'));
    }
    expect(r.stdout).toContain('OPENAI_TIMEOUT_MS, OPENAI_MAX_RETRIES');
  });

  it('client-secret has no --beta-endpoints', async () => {
    expect((await run(['client-secret', '--help'])).stdout).not.toContain('--beta-endpoints');
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
