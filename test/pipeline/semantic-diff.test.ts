// The semantic diff spec:pin prints (scripts/lib/semantic-diff.ts): one case per classification rule,
// on tiny documents where POST /s sends `Req` and answers `Res`.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDocument, type Doc } from '../../scripts/lib/extract.js';
import { formatChanges, semanticDiff, type Change } from '../../scripts/lib/semantic-diff.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Doc) => ({ content: { 'application/json': { schema } } });

/** The paths of POST /s: request body `Req`, 200 response `Res`, plus `extra` fields of the operation. */
const op = (extra: Doc) => ({
  '/s': {
    post: {
      requestBody: json(ref('Req')),
      responses: { '200': { description: 'ok', ...json(ref('Res')) } },
      ...extra,
    },
  },
});

/** POST /s (see `op`) unless other `paths` are given, plus any extra schemas. */
function doc(schemas: Doc, paths?: Doc): Doc {
  return {
    openapi: '3.1.0',
    info: { title: 't', version: '1' },
    paths: paths ?? op({}),
    components: { schemas: { Req: { type: 'object' }, Res: { type: 'object' }, ...schemas } },
  };
}
const obj = (properties: Doc, required?: string[]) => ({
  type: 'object',
  properties,
  ...(required ? { required } : {}),
});
const str = { type: 'string' };
const strEnum = (...values: string[]) => ({ type: 'string', enum: values });

function only(changes: Change[]): Change {
  expect(changes).toHaveLength(1);
  return changes[0];
}

describe('semanticDiff: operations and schemas', () => {
  it('operation removed is breaking', () => {
    const before = doc({}, { '/s': { post: { responses: {} }, get: { responses: {} } } });
    const after = doc({}, { '/s': { post: { responses: {} } } });
    expect(only(semanticDiff(before, after))).toEqual({
      severity: 'breaking',
      where: 'GET /s',
      what: 'operation removed',
    });
  });

  it('operation added is additive', () => {
    const before = doc({}, { '/s': { post: { responses: {} } } });
    const after = doc({}, { '/s': { post: { responses: {} } }, '/t': { delete: { responses: {} } } });
    expect(only(semanticDiff(before, after))).toEqual({
      severity: 'additive',
      where: 'DELETE /t',
      what: 'operation added',
    });
  });

  it('schema removed is breaking', () => {
    expect(only(semanticDiff(doc({ Extra: str }), doc({})))).toEqual({
      severity: 'breaking',
      where: 'Extra',
      what: 'schema removed',
    });
  });

  it('schema added is additive', () => {
    expect(only(semanticDiff(doc({}), doc({ Extra: str })))).toEqual({
      severity: 'additive',
      where: 'Extra',
      what: 'schema added',
    });
  });

  it('a first pin (nothing before) is all additions', () => {
    const changes = semanticDiff(undefined, doc({ Extra: str }));
    expect(changes.map((c) => `${c.severity} ${c.where} ${c.what}`).sort()).toEqual([
      'additive Extra schema added',
      'additive POST /s operation added',
      'additive Req schema added',
      'additive Res schema added',
    ]);
  });
});

describe('semanticDiff: properties', () => {
  it('property removed is breaking (request)', () => {
    const c = only(semanticDiff(doc({ Req: obj({ a: str, b: str }) }), doc({ Req: obj({ a: str }) })));
    expect(c).toEqual({ severity: 'breaking', where: 'Req.b', what: 'property removed' });
  });

  it('property removed is breaking (response)', () => {
    const c = only(semanticDiff(doc({ Res: obj({ a: str, b: str }) }), doc({ Res: obj({ a: str }) })));
    expect(c).toEqual({ severity: 'breaking', where: 'Res.b', what: 'property removed' });
  });

  it('optional property added to a request is additive', () => {
    const c = only(semanticDiff(doc({ Req: obj({ a: str }) }), doc({ Req: obj({ a: str, b: str }) })));
    expect(c).toEqual({ severity: 'additive', where: 'Req.b', what: 'property added' });
  });

  it('required property added to a request is breaking', () => {
    const c = only(semanticDiff(doc({ Req: obj({ a: str }) }), doc({ Req: obj({ a: str, b: str }, ['b']) })));
    expect(c).toEqual({ severity: 'breaking', where: 'Req.b', what: 'required property added' });
  });

  it('required property added to a response is additive', () => {
    const c = only(semanticDiff(doc({ Res: obj({ a: str }) }), doc({ Res: obj({ a: str, b: str }, ['b']) })));
    expect(c).toEqual({ severity: 'additive', where: 'Res.b', what: 'property added' });
  });

  it('nested properties are compared with a dotted path', () => {
    const before = doc({ Res: obj({ outer: obj({ inner: str, gone: str }) }) });
    const after = doc({ Res: obj({ outer: obj({ inner: str }) }) });
    expect(only(semanticDiff(before, after))).toEqual({
      severity: 'breaking',
      where: 'Res.outer.gone',
      what: 'property removed',
    });
  });
});

describe('semanticDiff: required changes', () => {
  it('request field becoming required is breaking', () => {
    const c = only(semanticDiff(doc({ Req: obj({ a: str }) }), doc({ Req: obj({ a: str }, ['a']) })));
    expect(c).toEqual({ severity: 'breaking', where: 'Req.a', what: 'became required' });
  });

  it('request field becoming optional is additive', () => {
    const c = only(semanticDiff(doc({ Req: obj({ a: str }, ['a']) }), doc({ Req: obj({ a: str }) })));
    expect(c).toEqual({ severity: 'additive', where: 'Req.a', what: 'became optional' });
  });

  it('response field becoming optional is breaking', () => {
    const c = only(semanticDiff(doc({ Res: obj({ a: str }, ['a']) }), doc({ Res: obj({ a: str }) })));
    expect(c).toEqual({ severity: 'breaking', where: 'Res.a', what: 'became optional' });
  });

  it('response field becoming required is additive', () => {
    const c = only(semanticDiff(doc({ Res: obj({ a: str }) }), doc({ Res: obj({ a: str }, ['a']) })));
    expect(c).toEqual({ severity: 'additive', where: 'Res.a', what: 'became required' });
  });

  it('in a schema used on both sides, either direction is breaking', () => {
    const paths = {
      '/s': {
        post: {
          requestBody: json(ref('Both')),
          responses: { '200': { description: 'ok', ...json(ref('Both')) } },
        },
      },
    };
    const optional = doc({ Both: obj({ a: str }) }, paths);
    const required = doc({ Both: obj({ a: str }, ['a']) }, paths);
    expect(only(semanticDiff(optional, required)).severity).toBe('breaking');
    expect(only(semanticDiff(required, optional)).severity).toBe('breaking');
  });
});

describe('semanticDiff: types', () => {
  it('type changed is breaking', () => {
    const c = only(
      semanticDiff(doc({ Res: obj({ a: str }) }), doc({ Res: obj({ a: { type: 'integer' } }) })),
    );
    expect(c).toEqual({ severity: 'breaking', where: 'Res.a', what: 'type changed: string → integer' });
  });

  it('a type becoming nullable counts as a type change', () => {
    const c = only(
      semanticDiff(doc({ Res: obj({ a: str }) }), doc({ Res: obj({ a: { type: ['string', 'null'] } }) })),
    );
    expect(c).toEqual({ severity: 'breaking', where: 'Res.a', what: 'type changed: string → string|null' });
  });

  it('a $ref replaced by another $ref is a type change', () => {
    const c = only(
      semanticDiff(
        doc({ Res: obj({ a: ref('X') }), X: str, Y: str }),
        doc({ Res: obj({ a: ref('Y') }), X: str, Y: str }),
      ),
    );
    expect(c).toEqual({ severity: 'breaking', where: 'Res.a', what: 'type changed: $ref X → $ref Y' });
  });

  // Stating a type narrows what is accepted (breaks requests); dropping it widens what may come
  // back (breaks responses).
  const untyped = { items: str };
  const typed = { type: 'array', items: str };
  it.each([
    ['stating', 'Res', untyped, typed, 'additive', 'array (untyped) → array'],
    ['stating', 'Req', untyped, typed, 'breaking', 'array (untyped) → array'],
    ['dropping', 'Res', typed, untyped, 'breaking', 'array → array (untyped)'],
    ['dropping', 'Req', typed, untyped, 'additive', 'array → array (untyped)'],
  ] as const)('%s the type of an array schema in %s is %s', (_, side, before, after, severity, change) => {
    expect(
      only(semanticDiff(doc({ [side]: obj({ a: before }) }), doc({ [side]: obj({ a: after }) }))),
    ).toEqual({
      severity,
      where: `${side}.a`,
      what: `type changed: ${change}`,
    });
  });

  it('array items are compared', () => {
    const before = doc({ Req: obj({ list: { type: 'array', items: str } }) });
    const after = doc({ Req: obj({ list: { type: 'array', items: { type: 'number' } } }) });
    expect(only(semanticDiff(before, after))).toEqual({
      severity: 'breaking',
      where: 'Req.list[]',
      what: 'type changed: string → number',
    });
  });
});

describe('semanticDiff: enums', () => {
  it('request enum gaining a value is additive', () => {
    const c = only(
      semanticDiff(doc({ Req: obj({ m: strEnum('a') }) }), doc({ Req: obj({ m: strEnum('a', 'b') }) })),
    );
    expect(c).toEqual({ severity: 'additive', where: 'Req.m', what: 'enum gained "b"' });
  });

  it('response enum gaining a value is additive', () => {
    const c = only(
      semanticDiff(doc({ Res: obj({ m: strEnum('a') }) }), doc({ Res: obj({ m: strEnum('a', 'b') }) })),
    );
    expect(c).toEqual({ severity: 'additive', where: 'Res.m', what: 'enum gained "b"' });
  });

  it('request enum losing a value is breaking', () => {
    const c = only(
      semanticDiff(doc({ Req: obj({ m: strEnum('a', 'b') }) }), doc({ Req: obj({ m: strEnum('a') }) })),
    );
    expect(c).toEqual({ severity: 'breaking', where: 'Req.m', what: 'enum lost "b"' });
  });

  it('response-only enum losing a value is additive', () => {
    const c = only(
      semanticDiff(doc({ Res: obj({ m: strEnum('a', 'b') }) }), doc({ Res: obj({ m: strEnum('a') }) })),
    );
    expect(c).toEqual({ severity: 'additive', where: 'Res.m', what: 'enum lost "b"' });
  });

  it('an enum in anyOf is compared by position', () => {
    const voice = (...v: string[]) => ({ anyOf: [str, strEnum(...v)] });
    const c = only(semanticDiff(doc({ Voice: voice('alloy', 'ash') }), doc({ Voice: voice('alloy') })));
    expect(c).toMatchObject({ where: 'Voice.anyOf[1]', what: 'enum lost "ash"' });
  });
});

describe('semanticDiff: request or response side', () => {
  it('a schema reached from a request schema through $ref is on the request side', () => {
    const before = doc({ Req: obj({ mode: ref('Mode') }), Mode: strEnum('a', 'b') });
    const after = doc({ Req: obj({ mode: ref('Mode') }), Mode: strEnum('a') });
    expect(only(semanticDiff(before, after))).toEqual({
      severity: 'breaking',
      where: 'Mode',
      what: 'enum lost "b"',
    });
  });

  it('a schema reached from a response through nested $refs is on the response side', () => {
    const before = doc({
      Res: obj({ x: ref('Mid') }),
      Mid: { type: 'array', items: ref('Mode') },
      Mode: strEnum('a', 'b'),
    });
    const after = doc({
      Res: obj({ x: ref('Mid') }),
      Mid: { type: 'array', items: ref('Mode') },
      Mode: strEnum('a'),
    });
    expect(only(semanticDiff(before, after))).toEqual({
      severity: 'additive',
      where: 'Mode',
      what: 'enum lost "b"',
    });
  });

  it('a schema reached from parameters is on the request side', () => {
    const paths = {
      '/s': { get: { parameters: [{ name: 'm', in: 'query', schema: ref('Mode') }], responses: {} } },
    };
    const c = only(semanticDiff(doc({ Mode: strEnum('a', 'b') }, paths), doc({ Mode: strEnum('a') }, paths)));
    expect(c).toEqual({ severity: 'breaking', where: 'Mode', what: 'enum lost "b"' });
  });

  it('recursive schemas do not make side detection loop', () => {
    const tree = obj({ children: { type: 'array', items: ref('Req') }, m: strEnum('a', 'b') });
    const after = obj({ children: { type: 'array', items: ref('Req') }, m: strEnum('a') });
    expect(only(semanticDiff(doc({ Req: tree }), doc({ Req: after })))).toMatchObject({
      severity: 'breaking',
    });
  });

  // Formerly a bug: only `#/components/schemas/` refs were followed, so a schema reached through
  // `#/components/requestBodies/...` got no side and request-breaking changes read as additive.
  it('a schema reached through a component requestBody is on the request side', () => {
    const paths = {
      '/s': { post: { requestBody: { $ref: '#/components/requestBodies/Body' }, responses: {} } },
    };
    const withBody = (d: Doc) => {
      d.components.requestBodies = { Body: json(ref('Mode')) };
      return d;
    };
    const before = withBody(doc({ Mode: strEnum('a', 'b') }, paths));
    const after = withBody(doc({ Mode: strEnum('a') }, paths));
    expect(only(semanticDiff(before, after))).toEqual({
      severity: 'breaking',
      where: 'Mode',
      what: 'enum lost "b"',
    });
  });
});

// Deprecation changes neither what a request must look like nor what a response may hold: clients
// built on the previous pin still compile (`@deprecated` is a JSDoc tag) and still get the
// documented answer. Not breaking, not an addition either: a notice to move off it.
describe('semanticDiff: deprecation is a notice', () => {
  it('an operation becoming deprecated is a notice, and so is the reverse', () => {
    const deprecated = doc({}, op({ deprecated: true }));
    expect(only(semanticDiff(doc({}), deprecated))).toEqual({
      severity: 'notice',
      where: 'POST /s',
      what: 'deprecated',
    });
    expect(only(semanticDiff(deprecated, doc({})))).toEqual({
      severity: 'notice',
      where: 'POST /s',
      what: 'no longer deprecated',
    });
    expect(semanticDiff(deprecated, doc({}, op({ deprecated: true })))).toEqual([]);
  });

  it('a property or schema becoming deprecated is a notice, on either side', () => {
    for (const side of ['Req', 'Res']) {
      const c = only(
        semanticDiff(
          doc({ [side]: obj({ a: str }) }),
          doc({ [side]: obj({ a: { ...str, deprecated: true } }) }),
        ),
      );
      expect(c).toEqual({ severity: 'notice', where: `${side}.a`, what: 'deprecated' });
    }
    expect(only(semanticDiff(doc({ Extra: str }), doc({ Extra: { ...str, deprecated: true } })))).toEqual({
      severity: 'notice',
      where: 'Extra',
      what: 'deprecated',
    });
  });

  it('a parameter becoming deprecated is a notice', () => {
    const param = (extra: Doc) => op({ parameters: [{ name: 'x', in: 'query', schema: str, ...extra }] });
    expect(only(semanticDiff(doc({}, param({})), doc({}, param({ deprecated: true }))))).toEqual({
      severity: 'notice',
      where: 'POST /s parameter query x',
      what: 'deprecated',
    });
  });

  it('formatChanges counts notices only when there are some', () => {
    const text = formatChanges(semanticDiff(doc({}), doc({ Extra: str }, op({ deprecated: true }))));
    expect(text.split('\n')).toEqual([
      'Semantic diff: 0 breaking, 1 additive, 1 notice',
      '  notice    POST /s: deprecated',
      '  additive  Extra: schema added',
    ]);
  });

  it('on the committed fragment, the beta minting operations are deprecated (overlay 1.3.0)', async () => {
    const text = readFileSync(path.join(ROOT, 'openapi/realtime.yaml'), 'utf8');
    const after = await parseDocument(text, 'realtime.yaml');
    expect(after.paths['/realtime/sessions'].post.deprecated).toBe(true);
    expect(after.paths['/realtime/transcription_sessions'].post.deprecated).toBe(true);
    expect(after.paths['/realtime/client_secrets'].post.deprecated).toBeUndefined();
    // The pin before the deprecation actions, as far as the diff can tell: the same minus the flags.
    const before = structuredClone(after);
    delete before.paths['/realtime/sessions'].post.deprecated;
    delete before.paths['/realtime/transcription_sessions'].post.deprecated;
    expect(formatChanges(semanticDiff(before, after))).toBe(
      [
        'Semantic diff: 0 breaking, 0 additive, 2 notices',
        '  notice    POST /realtime/sessions: deprecated',
        '  notice    POST /realtime/transcription_sessions: deprecated',
      ].join('\n'),
    );
  });
});

describe('formatChanges', () => {
  it('says "no changes" when there are none', () => {
    expect(formatChanges([])).toBe('Semantic diff: no changes');
    expect(formatChanges(semanticDiff(doc({ Req: obj({ a: str }) }), doc({ Req: obj({ a: str }) })))).toBe(
      'Semantic diff: no changes',
    );
  });

  it('counts breaking and additive changes in the summary line and lists each change', () => {
    const before = doc({ Req: obj({ a: str, m: strEnum('x', 'y') }), Old: str });
    const after = doc({ Req: obj({ m: strEnum('x', 'z'), b: str }), New: str });
    const text = formatChanges(semanticDiff(before, after));
    const lines = text.split('\n');
    // Breaking: Old removed, Req.a removed, Req.m lost "y". Additive: New added, Req.b added, Req.m gained "z".
    expect(lines[0]).toBe('Semantic diff: 3 breaking, 3 additive');
    expect(lines.slice(1).sort()).toEqual(
      [
        '  BREAKING  Old: schema removed',
        '  BREAKING  Req.a: property removed',
        '  BREAKING  Req.m: enum lost "y"',
        '  additive  New: schema added',
        '  additive  Req.b: property added',
        '  additive  Req.m: enum gained "z"',
      ].sort(),
    );
  });

  it('the committed fragment has no changes against itself, and a deep copy of itself', async () => {
    const text = readFileSync(path.join(ROOT, 'openapi/realtime.yaml'), 'utf8');
    const a = await parseDocument(text, 'realtime.yaml');
    const b = await parseDocument(text, 'realtime.yaml');
    expect(formatChanges(semanticDiff(a, b))).toBe('Semantic diff: no changes');
  });

  it('on the committed fragment, making response client_secret optional is breaking', async () => {
    const text = readFileSync(path.join(ROOT, 'openapi/realtime.yaml'), 'utf8');
    const before = await parseDocument(text, 'realtime.yaml');
    const after = structuredClone(before);
    after.components.schemas.RealtimeSessionCreateResponse.required = [];
    expect(formatChanges(semanticDiff(before, after))).toBe(
      'Semantic diff: 1 breaking, 0 additive\n  BREAKING  RealtimeSessionCreateResponse.client_secret: became optional',
    );
  });
});

describe('operation-level changes (parameters, inline bodies, response codes)', () => {
  it('a required parameter added is breaking; an optional one is additive', () => {
    const before = doc({}, op({}));
    const required = doc({}, op({ parameters: [{ name: 'x', in: 'header', required: true, schema: str }] }));
    const optional = doc({}, op({ parameters: [{ name: 'x', in: 'query', schema: str }] }));
    expect(only(semanticDiff(before, required))).toEqual({
      severity: 'breaking',
      where: 'POST /s parameter header x',
      what: 'required parameter added',
    });
    expect(only(semanticDiff(before, optional)).severity).toBe('additive');
  });

  it('a property removed from an inline response schema is breaking', () => {
    const inline = (props: Doc) =>
      doc({}, { '/s': { post: { responses: { '200': { description: 'ok', ...json(obj(props)) } } } } });
    const change = only(semanticDiff(inline({ a: str, b: str }), inline({ a: str })));
    expect(change).toEqual({
      severity: 'breaking',
      where: 'POST /s response 200 application/json.b',
      what: 'property removed',
    });
  });

  it('a response code removed is breaking; one added is additive', () => {
    const withError = doc(
      {},
      op({ responses: { '200': { description: 'ok' }, '400': { description: 'bad' } } }),
    );
    const without = doc({}, op({ responses: { '200': { description: 'ok' } } }));
    expect(only(semanticDiff(withError, without)).what).toBe('response removed');
    expect(only(semanticDiff(without, withError))).toEqual({
      severity: 'additive',
      where: 'POST /s response 400',
      what: 'response added',
    });
  });

  it('a request body becoming required is breaking', () => {
    const optional = doc({}, op({ requestBody: { ...json(ref('Req')), required: false } }));
    const required = doc({}, op({ requestBody: { ...json(ref('Req')), required: true } }));
    expect(only(semanticDiff(optional, required))).toEqual({
      severity: 'breaking',
      where: 'POST /s requestBody',
      what: 'became required',
    });
  });
});

describe('webhooks', () => {
  const withHook = (event: Doc): Doc => ({
    ...doc({ Event: event }),
    webhooks: {
      call_incoming: {
        post: { requestBody: json(ref('Event')), responses: { '200': { description: 'ok' } } },
      },
    },
  });
  const event = obj({ id: str, data: obj({ call_id: str }) }, ['id']);

  it('reports a webhook added (additive) and removed (breaking)', () => {
    expect(semanticDiff(doc({}), withHook(event))).toContainEqual({
      severity: 'additive',
      where: 'WEBHOOK call_incoming',
      what: 'webhook added',
    });
    expect(semanticDiff(withHook(event), doc({ Event: event }))).toContainEqual({
      severity: 'breaking',
      where: 'WEBHOOK call_incoming',
      what: 'webhook removed',
    });
  });

  it("reads an event's schema as a response: a property removed breaks the receiver, one added does not", () => {
    const fewer = obj({ id: str }, ['id']);
    const more = obj({ id: str, data: obj({ call_id: str }), object: str }, ['id']);
    const removed = semanticDiff(withHook(event), withHook(fewer));
    const added = semanticDiff(withHook(event), withHook(more));
    expect(removed.filter((c) => c.where.startsWith('Event')).map((c) => c.severity)).toEqual(['breaking']);
    expect(added.filter((c) => c.where.startsWith('Event')).map((c) => c.severity)).toEqual(['additive']);
  });
});
