// The README's API table is the generated operation list, so it names every pinned operation and
// nothing else: adding an operation to openapi/operations.json and generating shows it here.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GENERATED_DIR, ROOT, readOperations } from '../../scripts/lib/project.js';
import { readmeTable, tableBody } from '../../scripts/lib/readme-api.js';

const generated = readFileSync(path.join(GENERATED_DIR, 'api-table.md'), 'utf8');
const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const list = JSON.parse(readFileSync(path.join(GENERATED_DIR, 'operations.json'), 'utf8')) as {
  operations: { operationId: string; function: string; path: string }[];
};

describe("the README's API table", () => {
  it('is generated/api-table.md, as `npm run readme:api` copies it', () => {
    expect(
      readmeTable(readme),
      'README.md differs from generated/api-table.md: run `npm run readme:api`',
    ).toBe(tableBody(generated));
  });

  it('has one row per pinned operation, in the order of openapi/operations.json', () => {
    const rows = tableBody(generated).split('\n').slice(2);
    expect(list.operations.map((o) => o.operationId)).toEqual(readOperations());
    expect(rows).toHaveLength(readOperations().length);
    rows.forEach((row, i) => {
      const op = list.operations[i]!;
      expect(row).toContain(`\`${op.function}(`);
      expect(row).toContain(`\`POST ${op.path}\``);
    });
  });
});
