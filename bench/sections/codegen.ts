// 5. Codegen wall time: `npm run generate` then `npm run generate:check`, alternating (the check
// always follows a generate, which rewrites generated/ in place, deterministically).
import { ROOT } from '../lib/build.js';
import { exec } from '../lib/procs.js';
import { table, type Section } from '../lib/report.js';
import { fmtSummary, summarize } from '../lib/stats.js';

/**
 * `repeats` runs of each script. A quick run times `generate:check` once and skips `generate`
 * (which rewrites generated/), to stay short.
 */
export async function runCodegen(repeats: number, quick = false): Promise<Section> {
  const scripts = quick ? (['generate:check'] as const) : (['generate', 'generate:check'] as const);
  const times: Record<string, number[]> = Object.fromEntries(scripts.map((s) => [s, [] as number[]]));
  const notes = new Set<string>();
  for (let i = 0; i < repeats; i++) {
    for (const script of scripts) {
      const result = await exec('npm', ['run', '--silent', script], { cwd: ROOT, timeoutMs: 120_000 });
      if (result.code !== 0) {
        throw new Error(
          `npm run ${script} failed (${result.code}):\n${result.stdout.slice(-1500)}\n${result.stderr.slice(-1500)}`,
        );
      }
      if (/skipped/i.test(result.stderr))
        notes.add(
          `\`${script}\` reported: ${result.stderr
            .trim()
            .split('\n')
            .find((l) => /skipped/i.test(l))}`,
        );
      times[script].push(result.wallMs);
    }
  }
  const rows = scripts.map((s) => [
    `npm run ${s}`,
    fmtSummary(summarize(times[s].map((ms) => ms / 1000)), 2, ' s'),
  ]);
  const body = [
    quick
      ? 'Quick run: `generate:check` once, `generate` not run; wall time of the `npm run` process.'
      : `${repeats} runs each, alternating generate → generate:check; wall time of the \`npm run\` process.`,
    '',
    table(['command', 'wall time'], rows, ['l', 'r']),
    ...(notes.size ? ['', ...notes] : []),
  ].join('\n');
  return { title: '5. Codegen', body, targets: [] };
}
