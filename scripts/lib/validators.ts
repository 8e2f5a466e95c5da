// Writes generated/validators.js and its .d.ts: one validator per field the browser may set on the
// token route, for each session shape, compiled by ajv from the pinned fragment into standalone ESM.
// Standalone means no ajv and no `new Function` at runtime: the route stays dependency-free and runs
// where eval is refused (Workers, a strict CSP). src/handler/validate.ts is the only reader.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import AjvModule from 'ajv';
import standaloneModule from 'ajv/dist/standalone/index.js';
import * as prettier from 'prettier';
import { parse } from 'yaml';

// ajv is CommonJS with `exports.default`; under NodeNext a default import is `module.exports`.
const Ajv = AjvModule.default;
const standaloneCode = standaloneModule.default;

/** The session shapes the route checks the browser's fields against, and the schema of each. */
export const SHAPES = {
  /** `endpoint: 'sessions'`: the top-level fields of the beta session request. */
  beta: { schema: 'RealtimeSessionCreateRequest', omit: [] },
  /** `client_secrets` with `session.type: 'realtime'`: the GA session's, plus `voice` (below). */
  realtime: { schema: 'RealtimeSessionCreateRequestGA', omit: ['type'] },
  /** `client_secrets` with `session.type: 'transcription'`. */
  transcription: { schema: 'RealtimeTranscriptionSessionCreateRequestGA', omit: ['type'] },
} as const satisfies Record<string, { schema: string; omit: readonly string[] }>;

export type Shape = keyof typeof SHAPES;

/**
 * The browser sends `voice` top-level in both modes; for a GA realtime session the route puts it at
 * `session.audio.output.voice` (src/handler/upstream.ts), so that is the schema it is checked against.
 * `type` is never the browser's (the route refuses it in `allowFromClient`).
 */
const REALTIME_VOICE = ['audio', 'output', 'voice'];

/** The id the fragment's schemas are registered under. */
const FRAGMENT_ID = 'realtime.yaml';
const COMPONENT_REF = '#/components/schemas/';

type Schema = Record<string, unknown>;

// OpenAPI annotations: for documentation and code generators, never for validation. Dropping them
// keeps prose out of the emitted schema constants and lets ajv run in strict mode, where any keyword
// it does not know fails the generation instead of being skipped without a word. `format` is an
// annotation in JSON Schema 2020-12 too: uri/int64/unixtime checks would need ajv-formats at
// runtime, and the upstream checks them. `discriminator` only names the property that picks an
// `anyOf` branch; the branches validate the same values without it.
const ANNOTATIONS = new Set([
  'description',
  'title',
  'default',
  'example',
  'examples',
  'format',
  'discriminator',
  'deprecated',
  'readOnly',
  'writeOnly',
  'externalDocs',
  'xml',
  '$comment',
]);
// Where schemas nest: as maps of schemas, lists of schemas, or one schema. Everything else (enum,
// const, required…) is data and is copied untouched, even when it holds a key named `description`.
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions', '$defs', 'dependentSchemas']);
const SCHEMA_LISTS = new Set(['anyOf', 'oneOf', 'allOf', 'prefixItems']);
const SCHEMA_VALUES = new Set([
  'items',
  'additionalItems',
  'additionalProperties',
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
  'unevaluatedItems',
  'unevaluatedProperties',
]);

const mapValues = (obj: object, fn: (v: unknown) => unknown): Schema =>
  Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, fn(v)]));

/** A copy of `schema` without annotations, its `#/components/schemas/` refs pointed into FRAGMENT_ID. */
export function validationSchema(schema: unknown): unknown {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (ANNOTATIONS.has(key) || key.startsWith('x-')) continue;
    if (key === '$ref' && typeof value === 'string' && value.startsWith(COMPONENT_REF)) {
      out[key] = `${FRAGMENT_ID}#/definitions/${value.slice(COMPONENT_REF.length)}`;
    } else if (SCHEMA_MAPS.has(key) && value !== null && typeof value === 'object') {
      out[key] = mapValues(value, validationSchema);
    } else if (SCHEMA_LISTS.has(key) && Array.isArray(value)) {
      out[key] = value.map(validationSchema);
    } else if (SCHEMA_VALUES.has(key)) {
      out[key] = Array.isArray(value) ? value.map(validationSchema) : validationSchema(value);
    } else {
      out[key] = value;
    }
  }
  return out;
}

const escapePointer = (part: string) => part.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * For each shape, its browser-settable fields (sorted, so the output does not depend on the
 * fragment's key order) and the JSON pointer of each field's schema under `definitions`.
 */
export function validatorFields(schemas: Record<string, Schema>): Record<Shape, [string, string][]> {
  const out = {} as Record<Shape, [string, string][]>;
  for (const [shape, { schema, omit }] of Object.entries(SHAPES) as [Shape, (typeof SHAPES)[Shape]][]) {
    const properties = schemas[schema]?.properties as Record<string, Schema> | undefined;
    if (!properties) throw new Error(`validators: components.schemas.${schema} has no properties`);
    const at = (...names: string[]) =>
      ['definitions', schema, ...names.flatMap((n) => ['properties', n])].map(escapePointer).join('/');
    const fields = Object.keys(properties)
      .filter((name) => !(omit as readonly string[]).includes(name))
      .map((name): [string, string] => [name, at(name)]);
    if (shape === 'realtime') {
      if (Object.hasOwn(properties, 'voice'))
        throw new Error(`validators: ${schema} now has a top-level voice`);
      let voice: Schema | undefined = { properties };
      for (const name of REALTIME_VOICE) voice = (voice?.properties as Record<string, Schema>)?.[name];
      if (!voice) throw new Error(`validators: ${schema} has no audio.output.voice`);
      fields.push(['voice', at(...REALTIME_VOICE)]);
    }
    out[shape] = fields.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
  return out;
}

/** The name of one field's validator inside the module. */
const localName = (shape: Shape, field: string) => `${shape}__${field}`;

/**
 * The module's JavaScript and declarations, each starting with `header` (a `//` line). Byte-stable:
 * the same fragment and ajv version compile the same schemas in the same order, so ajv numbers its
 * functions and constants the same way on every run.
 */
export function validatorsModule(fragmentText: string, header: string): { js: string; dts: string } {
  const schemas = (parse(fragmentText) as { components?: { schemas?: Record<string, Schema> } }).components
    ?.schemas;
  if (!schemas) throw new Error('validators: the fragment has no components.schemas');
  // Draft-07 ajv, not ajv/dist/2020: the fragment only uses keywords both drafts define the same way
  // (type, enum, const, properties, required, items as one schema, anyOf, bounds, pattern, $ref,
  // whose siblings ajv applies in every draft), and the 2020 class adds `unevaluated*` bookkeeping:
  // 13% more code, and a top-level `validateN.evaluated = …` per function, a side effect that would
  // keep every validator in the bundle of an app that only mints. A 2019+-only keyword
  // (prefixItems, unevaluated*, dependentSchemas…) is unknown to draft-07, so strict mode fails the
  // generation instead of letting it pass unchecked.
  const ajv = new Ajv({
    strict: true,
    // The first failure is enough for a 400, and stops a hostile body from costing more work.
    allErrors: false,
    // src/handler/validate.ts words its own message from keyword + params; ajv's texts are not shipped.
    messages: false,
    // Each component compiles to one function that every field using it calls, instead of a copy
    // inlined into each (a quarter more code).
    inlineRefs: false,
    // Never change the browser's value: no defaults filled in, no coercion, nothing removed.
    useDefaults: false,
    coerceTypes: false,
    removeAdditional: false,
    code: { source: true, esm: true, lines: true },
  });
  ajv.addSchema({ $id: FRAGMENT_ID, definitions: mapValues(schemas, validationSchema) });

  const fields = validatorFields(schemas);
  const refs: Record<string, string> = {};
  for (const [shape, list] of Object.entries(fields) as [Shape, [string, string][]][]) {
    for (const [field, pointer] of list) refs[localName(shape, field)] = `${FRAGMENT_ID}#/${pointer}`;
  }
  let code = standaloneCode(ajv, refs);
  // The module exports one thing, the map below; the per-field constants stay inside it.
  for (const name of Object.keys(refs)) {
    const exported = `export const ${name} = `;
    if (code.split(exported).length !== 2) throw new Error(`validators: ajv did not export ${name} once`);
    code = code.replace(exported, `const ${name} = `);
  }
  // A compiled `pattern` is the module's one top-level call; marked pure, a bundle that does not
  // use the validators (an app that only mints) drops it with everything else here.
  code = code.replace(/ = new RegExp\(/g, ' = /* @__PURE__ */ new RegExp(');
  // ajv's runtime helpers (equal, ucs2length, uri…) come as `require(…)`, which an ESM bundle for
  // Workers or a browser cannot load. None is needed today; fail loudly if a schema starts to.
  if (/\brequire\(|^\s*import\s/m.test(code)) {
    throw new Error(
      'validators: ajv emitted a runtime import; generated/validators.js must be self-contained',
    );
  }

  const table = (Object.entries(fields) as [Shape, [string, string][]][])
    .map(([shape, list]) => {
      const rows = list.map(([field]) => `    ${field}: ${localName(shape, field)},\n`).join('');
      return `  ${shape}: {\n    __proto__: null,\n${rows}  },\n`;
    })
    .join('');
  const js = [
    header,
    code.replace(/^"use strict";\n/, ''),
    '',
    '/** Per session shape, the validator of each field the browser may set. `__proto__: null`: a field name never finds an inherited property. */',
    `export const validators = {\n${table}};`,
    '',
  ].join('\n');

  const fieldUnion = (list: [string, string][]) => list.map(([f]) => `'${f}'`).join(' | ');
  const dts = [
    header,
    "/** The session shape the browser's fields are checked against. */",
    `export type ValidatorShape = ${Object.keys(SHAPES)
      .map((s) => `'${s}'`)
      .join(' | ')};`,
    '/** The one failure a validator reports (ajv stops at the first): which keyword, with what schema parameters, where in the value. */',
    'export interface FieldValidationError {',
    '  keyword: string;',
    '  /** A JSON pointer into the validated value, `""` for the value itself. */',
    '  instancePath: string;',
    '  schemaPath: string;',
    '  params: Record<string, unknown>;',
    '}',
    '/** An ajv standalone validator: `true` when `value` is valid; otherwise `errors` says why. */',
    'export interface FieldValidator {',
    '  (value: unknown): boolean;',
    '  errors?: FieldValidationError[] | null;',
    '}',
    '/** Per session shape, the validator of each field the browser may set. */',
    'export declare const validators: {',
    ...(Object.entries(fields) as [Shape, [string, string][]][]).map(
      ([shape, list]) => `  readonly ${shape}: { readonly [field in ${fieldUnion(list)}]: FieldValidator };`,
    ),
    '};',
    '',
  ].join('\n');
  return { js, dts };
}

/**
 * Writes validators.js and validators.d.ts into `outDir`, each headed by `header`, formatted by
 * prettier as generated/openapi.ts is, so a schema change reads as a small diff in review.
 */
export async function writeValidators(outDir: string, fragmentText: string, header: string): Promise<void> {
  const { js, dts } = validatorsModule(fragmentText, header);
  const style = { singleQuote: true, printWidth: 100 };
  writeFileSync(path.join(outDir, 'validators.js'), await prettier.format(js, { parser: 'babel', ...style }));
  writeFileSync(
    path.join(outDir, 'validators.d.ts'),
    await prettier.format(dts, { parser: 'typescript', ...style }),
  );
}
