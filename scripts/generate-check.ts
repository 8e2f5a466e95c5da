// npm run generate:check: regenerates into a temporary folder and compares it with the committed
// generated/, byte for byte, including missing and extra files. Exits 1 with a diff when stale.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generate, listFiles } from './lib/generate.js';
import { GENERATED_DIR, rel } from './lib/project.js';

const FIX = 'npm run generate && git add generated/';
const MAX_DIFF_LINES = 80;

async function main(): Promise<number> {
  const fresh = mkdtempSync(path.join(tmpdir(), 'generated-check-'));
  try {
    const { skipped } = await generate(fresh);
    // Without Java the docs cannot be rebuilt: compare what could be, and say so loudly.
    const compared = (f: string) => !skipped || !(f.startsWith('docs/') || f === 'validation.txt');
    if (skipped) console.error(`skipped: openapi-generator validate + docs were not checked: ${skipped}`);

    const committed = existsSync(GENERATED_DIR) ? listFiles(GENERATED_DIR).filter(compared) : [];
    const expected = listFiles(fresh).filter(compared);
    const missing = expected.filter((f) => !committed.includes(f));
    const extra = committed.filter((f) => !expected.includes(f));
    const changed = expected.filter(
      (f) =>
        committed.includes(f) &&
        !readFileSync(path.join(fresh, f)).equals(readFileSync(path.join(GENERATED_DIR, f))),
    );
    if (!missing.length && !extra.length && !changed.length) {
      console.log(
        `generate:check: ${rel(GENERATED_DIR)}/ matches the pinned fragment (${expected.length} files)`,
      );
      // CI must check everything that is committed: a runner without Java would pass half a check.
      if (skipped && process.env.CI) {
        console.error(
          'generate:check: CI is set, so a partial check fails: install Java 11+, then npm run setup',
        );
        return 1;
      }
      return 0;
    }
    console.error(`generate:check: ${rel(GENERATED_DIR)}/ is stale.`);
    for (const f of missing) console.error(`  missing: generated/${f}`);
    for (const f of extra) console.error(`  extra:   generated/${f}`);
    for (const f of changed) console.error(`  changed: generated/${f}`);
    for (const f of changed.slice(0, 3)) {
      const diff = spawnSync(
        'diff',
        [
          '-u',
          '--label',
          `generated/${f} (committed)`,
          '--label',
          `generated/${f} (regenerated)`,
          path.join(GENERATED_DIR, f),
          path.join(fresh, f),
        ],
        { encoding: 'utf8' },
      );
      const lines = diff.stdout.split('\n');
      console.error(lines.slice(0, MAX_DIFF_LINES).join('\n'));
      if (lines.length > MAX_DIFF_LINES) console.error(`… ${lines.length - MAX_DIFF_LINES} more diff lines`);
    }
    console.error(`\nFix: ${FIX}`);
    return 1;
  } finally {
    rmSync(fresh, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`generate:check failed: ${err.message}`);
    process.exit(1);
  },
);
