// Checks each field the browser sets against its schema in the pinned fragment before the route
// calls upstream, so a wrong value costs a 400, not an upstream round trip. The validators are
// generated (generated/validators.js, by npm run generate); this file only words their first
// failure. Only the handler imports it, so an app that only mints never bundles the validators.
import { validators, type FieldValidationError, type FieldValidator } from '../../generated/validators.js';

/** The schema the browser's fields belong to: beta `sessions`, or the GA session's `type`. */
export type FieldShape = 'beta' | 'realtime' | 'transcription';

/** The longest message: a 400 names the problem, it does not restate the schema. */
const MAX_MESSAGE = 120;

/**
 * What is wrong with the browser's `value` for `field`, as a short message that starts with the
 * field's name, e.g. `voice must be a string` or
 * `turn_detection.type must be one of: "server_vad", "semantic_vad"`; `undefined` when the value
 * is valid, or when the fragment has no schema for `field` in that shape.
 *
 * Safe to send to the browser and to log: it is built from the schema and the field's path only,
 * never from the browser's strings (an object key in the path is shown only when it is a short
 * identifier).
 *
 * @param shape - `'beta'` for `endpoint: 'sessions'`; in `client_secrets` mode, the pinned
 *   `session.type` (`'realtime'` or `'transcription'`).
 * @param field - A top-level field of the browser's body; `voice` is checked against the GA
 *   `audio.output.voice` schema in `'realtime'`.
 * @param value - The field's value, as JSON.parse produced it.
 */
export function fieldProblem(shape: FieldShape, field: string, value: unknown): string | undefined {
  // Both tables have a null prototype, so a field named like an Object method finds nothing.
  const validate = (validators[shape] as Record<string, FieldValidator | undefined> | undefined)?.[field];
  if (!validate || validate(value)) return undefined;
  const message = explain(validate.errors ?? [], field);
  return message.length <= MAX_MESSAGE ? message : `${message.slice(0, MAX_MESSAGE - 1)}…`;
}

/**
 * ajv stops at the first failure, so `errors` is one failure, or, when no branch of an `anyOf`
 * matched, each branch's failure followed by the `anyOf` error itself (last).
 */
function explain(errors: FieldValidationError[], field: string): string {
  const last = errors[errors.length - 1];
  if (!last) return `${field} is invalid`;
  if (last.keyword !== 'anyOf' && last.keyword !== 'oneOf') return describe(last, field);
  const at = last.instancePath;
  const branches = branchFailures(errors);
  // Every branch wanted another type or value right here: say which ("must be a string or an object").
  if (branches.every((e) => e.instancePath === at && isShapeError(e))) {
    return `${where(field, at)} must be ${alternatives(branches)}`;
  }
  // Otherwise the value has the right type for some branch and fails inside it. One such failure,
  // or several alternatives at one place (`type` is neither "server_vad" nor "semantic_vad"), can
  // be named; a mix of unrelated failures cannot without guessing which branch was meant.
  const inside = branches.filter((e) => e.instancePath !== at || e.keyword !== 'type');
  if (inside.length === 1) return describe(inside[0]!, field);
  const place = inside[0]!.instancePath;
  if (inside.every((e) => e.instancePath === place && isShapeError(e))) {
    return `${where(field, place)} must be ${alternatives(inside)}`;
  }
  return `${where(field, at)} must match one of its allowed forms`;
}

/**
 * The failures of the branches that were tried, without the `anyOf` errors, and without an `enum`
 * or `const` whose values all have a type another failure at the same place already asks for: ajv
 * still checks `{ type: 'string', enum }` past a wrong type, and "must be a string or one of:
 * "alloy", …" says no more than "must be a string" when any string is allowed.
 */
function branchFailures(errors: FieldValidationError[]): FieldValidationError[] {
  const failures = errors.filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf');
  const wanted = (at: string) =>
    new Set(failures.filter((e) => e.keyword === 'type' && e.instancePath === at).flatMap(typeList));
  return failures.filter((e) => {
    if (e.keyword !== 'enum' && e.keyword !== 'const') return true;
    const types = wanted(e.instancePath);
    return !allowed(e).every(
      (v) => types.has(jsonType(v)) || (typeof v === 'number' && types.has('integer')),
    );
  });
}

const isShapeError = (e: FieldValidationError) =>
  e.keyword === 'type' || e.keyword === 'enum' || e.keyword === 'const';

/** `a string or an object or "auto"`: each type and allowed value, once. */
function alternatives(errors: FieldValidationError[]): string {
  const words = errors.map((e) => (e.keyword === 'type' ? types(e) : values(e)));
  return [...new Set(words)].join(' or ');
}

function describe(e: FieldValidationError, field: string): string {
  const p = e.params;
  const expected = ((): string => {
    switch (e.keyword) {
      case 'type':
        return `must be ${types(e)}`;
      case 'enum':
      case 'const':
        return `must be ${values(e)}`;
      case 'required':
        return `must have property ${JSON.stringify(p.missingProperty)}`;
      case 'additionalProperties':
        // The extra key is the browser's, so it is not named.
        return 'must not have properties other than the allowed ones';
      case 'minimum':
      case 'maximum':
      case 'exclusiveMinimum':
      case 'exclusiveMaximum':
        return `must be ${String(p.comparison)} ${String(p.limit)}`;
      case 'minItems':
        return `must have at least ${String(p.limit)} item(s)`;
      case 'maxItems':
        return `must have at most ${String(p.limit)} item(s)`;
      case 'minLength':
        return `must be at least ${String(p.limit)} character(s) long`;
      case 'maxLength':
        return `must be at most ${String(p.limit)} character(s) long`;
      case 'pattern':
        return `must match the pattern ${String(p.pattern)}`;
      default:
        return `does not match the schema (${e.keyword})`;
    }
  })();
  return `${where(field, e.instancePath)} ${expected}`;
}

const ARTICLE: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'a boolean',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

/** ajv's `params.type` is one type, or several joined by commas. */
const typeList = (e: FieldValidationError) => String(e.params.type).split(',');
const types = (e: FieldValidationError) =>
  typeList(e)
    .map((t) => ARTICLE[t] ?? t)
    .join(' or ');

const jsonType = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

const allowed = (e: FieldValidationError): unknown[] =>
  e.keyword === 'const' ? [e.params.allowedValue] : (e.params.allowedValues as unknown[]);

/** The schema's allowed values (never the browser's), as JSON. */
function values(e: FieldValidationError): string {
  const list = allowed(e);
  const json = list.map((v) => JSON.stringify(v)).join(', ');
  return list.length === 1 ? json : `one of: ${json}`;
}

/** `tools[0].type` from the field and ajv's JSON pointer; a key that is not a short identifier is `[…]`. */
function where(field: string, pointer: string): string {
  let out = field;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(key)) out += `[${key}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]{0,31}$/.test(key)) out += `.${key}`;
    else out += '[…]';
  }
  return out;
}
