// npm run readme:api: copies the generated operation table (generated/api-table.md, written by
// `npm run generate` from the pinned fragment) into README.md between its api-table markers.
// `npm test` fails when the two differ (test/pipeline/readme-api.test.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { GENERATED_DIR, ROOT } from './lib/project.js';
import { README_MARKERS, withApiTable } from './lib/readme-api.js';

const readme = path.join(ROOT, 'README.md');
const table = readFileSync(path.join(GENERATED_DIR, 'api-table.md'), 'utf8');
const next = withApiTable(readFileSync(readme, 'utf8'), table);
if (next === undefined) {
  console.error(`readme:api: README.md has no ${README_MARKERS.start} … ${README_MARKERS.end} block`);
  process.exit(1);
}
writeFileSync(readme, next);
console.log('README.md: API table copied from generated/api-table.md');
