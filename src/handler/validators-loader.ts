// The field validators are large (the session schemas as code, about 200 kB): they are loaded on the
// first request that has fields to check, from their own file in dist/ (see tsup.config.ts), so that
// importing the package, and an app that never checks a field, stay small and fast.
import type { FieldShape } from './validate.js';

type Validate = typeof import('./validate.js');
let loading: Promise<Validate> | undefined;

/**
 * What is wrong with the first of `fields` whose value its schema refuses, or `undefined` when all
 * are valid (or none has a schema). See `fieldProblem` in ./validate.ts.
 */
export async function firstFieldProblem(
  shape: FieldShape,
  fields: Record<string, unknown>,
): Promise<{ field: string; problem: string } | undefined> {
  const keys = Object.keys(fields);
  if (keys.length === 0) return undefined;
  const { fieldProblem } = await (loading ??= import('./validate.js'));
  for (const field of keys) {
    const problem = fieldProblem(shape, field, fields[field]);
    if (problem !== undefined) return { field, problem };
  }
  return undefined;
}
