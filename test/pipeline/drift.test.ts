// Drift guards: `generate` refuses a hand-edited fragment, and `generate:check` fails on any
// difference between generated/ and what the pinned fragment produces.
// The scripts work on ROOT (computed from scripts/lib/project.ts' own location), so the CLI cases run
// in ONE temporary copy of the project (scripts/, openapi/, generated/, config; node_modules and the
// JAR cache symlinked) and restore that copy between cases. The real repo is never modified.
import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deprecatedOperations,
  FragmentEditedError,
  listFiles,
  markDeprecated,
  verifiedFragment,
} from '../../scripts/lib/generate.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const REAL_FRAGMENT = path.join(ROOT, 'openapi/realtime.yaml');
const REAL_LOCK = path.join(ROOT, 'openapi/realtime.lock.json');
const CLI_TIMEOUT = 120_000;

const scratch: string[] = [];
function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

describe('generate refuses a hand-edited fragment (verifiedFragment)', () => {
  it('accepts the committed fragment with the committed lock', () => {
    const { text, sha } = verifiedFragment(REAL_FRAGMENT, REAL_LOCK);
    expect(text).toBe(readFileSync(REAL_FRAGMENT, 'utf8'));
    expect(sha).toBe(JSON.parse(readFileSync(REAL_LOCK, 'utf8')).fragmentSha256);
  });

  it('accepts a byte-identical copy', () => {
    const copy = path.join(tempDir('fragment-'), 'realtime.yaml');
    writeFileSync(copy, readFileSync(REAL_FRAGMENT));
    expect(() => verifiedFragment(copy, REAL_LOCK)).not.toThrow();
  });

  it.each([
    ['a changed value', (t: string) => t.replace('type: integer', 'type: number')],
    ['an added comment', (t: string) => `${t}# tweak\n`],
    ['a whitespace change', (t: string) => t.replace('\n', '\n\n')],
  ])('throws on %s, saying it was edited by hand and how to re-pin', (_what, edit) => {
    const original = readFileSync(REAL_FRAGMENT, 'utf8');
    const edited = edit(original);
    expect(edited).not.toBe(original);
    const copy = path.join(tempDir('fragment-'), 'realtime.yaml');
    writeFileSync(copy, edited);
    let error: unknown;
    try {
      verifiedFragment(copy, REAL_LOCK);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(FragmentEditedError);
    const message = (error as Error).message;
    expect(message).toMatch(/edited by hand/);
    expect(message).toContain('npm run spec:pin');
    expect(message).toContain(JSON.parse(readFileSync(REAL_LOCK, 'utf8')).fragmentSha256);
  });
});

// openapi-generator's markdown templates ignore `deprecated`; generate marks it in the docs itself.
describe('generated docs mark deprecated operations (markDeprecated)', () => {
  const API = [
    '| Method | HTTP request | Description |',
    '|------------- | ------------- | -------------|',
    '| [**keep**](Api.md#keep) | **POST** /s | Keep |',
    '| [**old**](Api.md#old) | **POST** /s/old | Old one |',
    '',
    '<a name="old"></a>',
    '# **old**',
    '> Res old(Req)',
    '',
    'Old one',
    '',
  ].join('\n');
  const INDEX = '*Api* | [**old**](Apis/Api.md#old) | **POST** /s/old | Old one |\n';

  it("lists the fragment's deprecated operations: the two beta minting ones", () => {
    expect(deprecatedOperations(readFileSync(REAL_FRAGMENT, 'utf8'))).toEqual([
      'POST /realtime/sessions',
      'POST /realtime/transcription_sessions',
    ]);
  });

  it('marks the table rows of every page and the heading of the API page, nothing else', () => {
    const pages = new Map([
      ['Apis/Api.md', API],
      ['README.md', INDEX],
    ]);
    markDeprecated(pages, ['POST /s/old']);
    expect(pages.get('Apis/Api.md')).toBe(
      API.replace('| Old one |', '| Old one (deprecated) |').replace(
        '> Res old(Req)\n',
        '> Res old(Req)\n\n**Deprecated.**\n',
      ),
    );
    expect(pages.get('README.md')).toBe(INDEX.replace('Old one |', 'Old one (deprecated) |'));
  });

  it('throws when a deprecated operation has no row: the generator output changed shape', () => {
    expect(() => markDeprecated(new Map([['README.md', INDEX]]), ['POST /s/gone'])).toThrow(
      'no operation table row for deprecated POST /s/gone',
    );
  });

  it('the committed docs carry the marks', () => {
    const api = readFileSync(path.join(ROOT, 'generated/docs/Apis/RealtimeApi.md'), 'utf8');
    expect(api).toContain('| **POST** /realtime/sessions | Create session (deprecated) |');
    expect(api).toContain(
      '| **POST** /realtime/transcription_sessions | Create transcription session (deprecated) |',
    );
    expect(api).toContain('| **POST** /realtime/client_secrets | Create client secret |');
    expect(api.match(/\*\*Deprecated\.\*\*/g)).toHaveLength(2);
  });
});

// ---------------------------------------------------------------------------------------------
// CLI cases in a temporary copy of the project.

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  output: string;
}

const javaVersion = spawnSync('java', ['-version'], { encoding: 'utf8' });
const config = JSON.parse(readFileSync(path.join(ROOT, 'openapitools.json'), 'utf8'))['generator-cli'];
const JAR = path.resolve(ROOT, config.storageDir, `${config.version}.jar`);
/** With Java and the cached JAR, generate:check also rebuilds and compares validation.txt and docs/. */
const FULL = !javaVersion.error && javaVersion.status === 0 && existsSync(JAR);

let copy: string;
let pristineGenerated: string;
let pristineFragment: string;
/** A PATH on which `diff` exists but `java` does not. */
let noJavaPath: string;

function findOnPath(cmd: string): string {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, cmd);
    if (dir && existsSync(candidate)) return candidate;
  }
  throw new Error(`${cmd} not found on PATH`);
}

function run(script: string, opts: { hideJava?: boolean; ci?: boolean } = {}): Run {
  // Without the cached JAR, hide Java too: the generator wrapper would otherwise try to download it.
  const hideJava = opts.hideJava || !FULL;
  const res = spawnSync(process.execPath, ['--import', 'tsx', script], {
    cwd: copy,
    encoding: 'utf8',
    timeout: CLI_TIMEOUT,
    // CI is set by .ci/run; each test says whether it runs as CI.
    env: { ...process.env, PWD: copy, CI: opts.ci ? 'true' : '', ...(hideJava ? { PATH: noJavaPath } : {}) },
  });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr, output: res.stdout + res.stderr };
}

function restore(): void {
  rmSync(path.join(copy, 'generated'), { recursive: true, force: true });
  cpSync(pristineGenerated, path.join(copy, 'generated'), { recursive: true });
  writeFileSync(path.join(copy, 'openapi/realtime.yaml'), pristineFragment);
}

const gen = (f: string) => path.join(copy, 'generated', f);

describe('generate:check in a copy of the project', () => {
  beforeAll(() => {
    const base = tempDir('drift-');
    copy = path.join(base, 'project');
    mkdirSync(copy);
    for (const file of ['package.json', 'tsconfig.json', 'openapitools.json']) {
      cpSync(path.join(ROOT, file), path.join(copy, file));
    }
    for (const dir of ['scripts', 'openapi', 'generated']) {
      cpSync(path.join(ROOT, dir), path.join(copy, dir), { recursive: true });
    }
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
    if (existsSync(path.join(ROOT, '.cache'))) {
      symlinkSync(path.join(ROOT, '.cache'), path.join(copy, '.cache'), 'dir');
    }
    pristineGenerated = path.join(base, 'generated.pristine');
    cpSync(path.join(ROOT, 'generated'), pristineGenerated, { recursive: true });
    pristineFragment = readFileSync(path.join(copy, 'openapi/realtime.yaml'), 'utf8');

    noJavaPath = path.join(base, 'bin');
    mkdirSync(noJavaPath);
    symlinkSync(findOnPath('diff'), path.join(noJavaPath, 'diff'));
  });

  it(
    'passes on a clean copy',
    () => {
      restore();
      const res = run('scripts/generate-check.ts');
      expect(res.output).not.toContain('is stale');
      expect(res.status).toBe(0);
      const files = listFiles(pristineGenerated).filter(
        (f) => FULL || !(f.startsWith('docs/') || f === 'validation.txt'),
      );
      expect(res.stdout).toContain(`generated/ matches the pinned fragment (${files.length} files)`);
      if (FULL) expect(res.stderr).not.toContain('skipped:');
      else expect(res.stderr).toContain('skipped:');
    },
    CLI_TIMEOUT,
  );

  it(
    'fails on a hand edit of generated/openapi.ts, with the file, a diff and the fix',
    () => {
      restore();
      const marker = `// drift-test hand edit ${Date.now()}`;
      appendFileSync(gen('openapi.ts'), `${marker}\n`);
      const res = run('scripts/generate-check.ts');
      expect(res.status).toBe(1);
      expect(res.stderr).toContain('generate:check: generated/ is stale.');
      expect(res.stderr).toContain('changed: generated/openapi.ts');
      expect(res.stderr).toContain('--- generated/openapi.ts (committed)');
      expect(res.stderr).toContain('+++ generated/openapi.ts (regenerated)');
      // The committed side has the extra line, the regenerated side does not.
      expect(res.stderr.split('\n')).toContain(`-${marker}`);
      expect(res.stderr).toContain('Fix: npm run generate && git add generated/');
      expect(res.stderr).not.toMatch(/missing:|extra:/);
    },
    CLI_TIMEOUT,
  );

  it(
    'fails on a stale generated/validators.js, with a diff, even without Java',
    () => {
      restore();
      // A validator loosened by hand: the route would let a wrong temperature through.
      const file = gen('validators.js');
      const original = readFileSync(file, 'utf8');
      const loosened = original.replace('limit: 1.2', 'limit: 12');
      expect(loosened).not.toBe(original);
      writeFileSync(file, loosened);
      const res = run('scripts/generate-check.ts', { hideJava: true });
      expect(res.status).toBe(1);
      expect(res.stderr).toContain('changed: generated/validators.js');
      expect(res.stderr).toContain('--- generated/validators.js (committed)');
      expect(res.stderr).toContain('+++ generated/validators.js (regenerated)');
      expect(res.stderr).toMatch(/^-.*limit: 12/m);
      expect(res.stderr).toMatch(/^\+.*limit: 1\.2/m);
      expect(res.stderr).not.toMatch(/missing:|extra:/);
      expect(res.stderr).toContain('Fix: npm run generate && git add generated/');
    },
    CLI_TIMEOUT,
  );

  it(
    'fails on an extra file in generated/',
    () => {
      restore();
      writeFileSync(gen('stray.md'), '# not generated\n');
      const res = run('scripts/generate-check.ts');
      expect(res.status).toBe(1);
      expect(res.stderr).toMatch(/^\s+extra:\s+generated\/stray\.md$/m);
      expect(res.stderr).not.toMatch(/missing:|changed:/);
      expect(res.stderr).toContain('Fix: npm run generate');
    },
    CLI_TIMEOUT,
  );

  it(
    'fails on a file missing from generated/',
    () => {
      restore();
      // docs/ is only compared when the openapi-generator step can run.
      const victim = FULL ? 'docs/README.md' : 'openapi.ts';
      unlinkSync(gen(victim));
      const res = run('scripts/generate-check.ts');
      expect(res.status).toBe(1);
      expect(res.stderr).toMatch(
        new RegExp(`^\\s+missing:\\s+generated/${victim.replace('.', '\\.')}$`, 'm'),
      );
      expect(res.stderr).not.toMatch(/extra:|changed:/);
      expect(res.stderr).toContain('Fix: npm run generate');
    },
    CLI_TIMEOUT,
  );

  it(
    'without Java, says what it skipped and still catches drift in openapi.ts',
    () => {
      restore();
      appendFileSync(gen('openapi.ts'), '// drift without java\n');
      // Not compared without Java, so not reported: the "skipped:" line is what says so.
      appendFileSync(gen('docs/README.md'), 'hand edit\n');
      const res = run('scripts/generate-check.ts', { hideJava: true });
      expect(res.status).toBe(1);
      expect(res.stderr).toMatch(
        /^skipped: openapi-generator validate \+ docs were not checked: Java not found/m,
      );
      expect(res.stderr).toContain('changed: generated/openapi.ts');
      expect(res.stderr).not.toContain('generated/docs/README.md');
      expect(res.stderr.split('\n')).toContain('-// drift without java');
    },
    CLI_TIMEOUT,
  );

  it(
    'without Java under CI, a clean copy still fails: half a check is not a pass',
    () => {
      restore();
      const res = run('scripts/generate-check.ts', { hideJava: true, ci: true });
      expect(res.status).toBe(1);
      expect(res.stderr).toMatch(/^skipped: openapi-generator validate \+ docs were not checked/m);
      expect(res.stderr).toContain(
        'CI is set, so a partial check fails: install Java 11+, then npm run setup',
      );
    },
    CLI_TIMEOUT,
  );

  it(
    'refuses to run on a hand-edited fragment, and generate leaves generated/ untouched',
    () => {
      restore();
      writeFileSync(path.join(copy, 'openapi/realtime.yaml'), `${pristineFragment}# hand edit\n`);
      const check = run('scripts/generate-check.ts', { hideJava: true });
      expect(check.status).toBe(1);
      expect(check.stderr).toContain('generate:check failed: openapi/realtime.yaml was edited by hand');
      expect(check.stderr).toContain('npm run spec:pin');

      const before = readFileSync(gen('openapi.ts'), 'utf8');
      const generate = run('scripts/generate.ts', { hideJava: true });
      expect(generate.status).toBe(1);
      expect(generate.stderr).toContain('generate failed: openapi/realtime.yaml was edited by hand');
      expect(readFileSync(gen('openapi.ts'), 'utf8')).toBe(before);
      expect(listFiles(path.join(copy, 'generated')).sort()).toEqual(listFiles(pristineGenerated).sort());
    },
    CLI_TIMEOUT,
  );
});
