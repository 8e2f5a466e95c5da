// Closure extraction (scripts/lib/extract.ts) on small hand-written specs: what the fragment keeps,
// what it leaves out, and how it fails.
import { describe, expect, it } from 'vitest';
import {
  assertNoDanglingRefs,
  extractFragment,
  listOperationIds,
  parseDocument,
  toYaml,
  type Doc,
  type OverlayDoc,
} from '../../scripts/lib/extract.js';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Doc) => ({ content: { 'application/json': { schema } } });
const ok = (schema?: Doc) => ({ description: 'ok', ...(schema ? json(schema) : {}) });

/**
 * One kept operation (`keep`) exercising every place a $ref can hide, plus noise that must go:
 * an unrelated operation, a webhook, unused components and security schemes.
 */
function spec(): Doc {
  return {
    openapi: '3.1.0',
    info: { title: 'fixture', version: '1.0.0' },
    security: [{ ApiKeyAuth: [] }],
    paths: {
      '/keep/{id}': {
        post: {
          operationId: 'keep',
          security: [{ ApiKeyAuth: [] }, { OAuth: ['write'] }],
          parameters: [
            { $ref: '#/components/parameters/IdParam' },
            { name: 'filter', in: 'query', schema: ref('InlineParamSchema') },
          ],
          requestBody: { $ref: '#/components/requestBodies/KeepBody' },
          responses: {
            '200': ok(ref('KeepResponse')),
            default: { $ref: '#/components/responses/ErrorResponse' },
          },
        },
      },
      '/other': {
        get: {
          operationId: 'other',
          security: [{ AdminApiKeyAuth: [] }],
          responses: { '200': ok(ref('OtherOnly')) },
        },
      },
    },
    webhooks: {
      somethingHappened: {
        post: { requestBody: json(ref('WebhookOnly')), responses: { '200': ok() } },
      },
    },
    components: {
      parameters: {
        IdParam: { name: 'id', in: 'path', required: true, schema: ref('IdFromParameter') },
        UnusedParam: { name: 'q', in: 'query', schema: ref('OnlyFromUnusedParam') },
      },
      requestBodies: {
        KeepBody: json(ref('KeepRequest')),
        UnusedBody: json(ref('OnlyFromUnusedBody')),
      },
      responses: {
        ErrorResponse: ok(ref('ErrorFromResponse')),
        UnusedResponse: ok(ref('OnlyFromUnusedResponse')),
      },
      schemas: {
        KeepRequest: {
          type: 'object',
          properties: {
            list: { type: 'array', items: ref('FromItems') },
            map: { type: 'object', additionalProperties: ref('FromAdditionalProperties') },
            either: { anyOf: [ref('FromAnyOf'), { type: 'null' }] },
            one: { oneOf: [ref('FromOneOf'), { type: 'string' }] },
            tree: ref('Tree'),
          },
        },
        KeepResponse: { allOf: [ref('FromAllOf'), { type: 'object', properties: { a: ref('CycleA') } }] },
        IdFromParameter: { type: 'string' },
        InlineParamSchema: { type: 'string', enum: ['x', 'y'] },
        ErrorFromResponse: { type: 'object', properties: { message: { type: 'string' } } },
        FromItems: { type: 'string' },
        FromAdditionalProperties: { type: 'integer' },
        FromAnyOf: { type: 'object', properties: { nested: { type: 'array', items: ref('DeepNested') } } },
        DeepNested: { type: 'boolean' },
        FromOneOf: { type: 'number' },
        FromAllOf: { type: 'object', properties: { id: { type: 'string' } } },
        // Self-recursive.
        Tree: { type: 'object', properties: { children: { type: 'array', items: ref('Tree') } } },
        // Mutually recursive: A → B → A.
        CycleA: { type: 'object', properties: { b: ref('CycleB') } },
        CycleB: { type: 'object', properties: { a: ref('CycleA') } },
        // Noise.
        OtherOnly: { type: 'object', properties: { x: ref('OtherNested') } },
        OtherNested: { type: 'string' },
        WebhookOnly: { type: 'object', properties: { event: ref('WebhookNested') } },
        WebhookNested: { type: 'string' },
        OnlyFromUnusedParam: { type: 'string' },
        OnlyFromUnusedBody: { type: 'string' },
        OnlyFromUnusedResponse: { type: 'string' },
        Unused: { type: 'string' },
        UnusedSelfRecursive: { type: 'object', properties: { next: ref('UnusedSelfRecursive') } },
        UnusedCycleA: { type: 'object', properties: { b: ref('UnusedCycleB') } },
        UnusedCycleB: { type: 'object', properties: { a: ref('UnusedCycleA') } },
      },
      securitySchemes: {
        ApiKeyAuth: { type: 'http', scheme: 'bearer' },
        OAuth: {
          type: 'oauth2',
          flows: { clientCredentials: { tokenUrl: 'https://example.test/token', scopes: { write: 'w' } } },
        },
        AdminApiKeyAuth: { type: 'http', scheme: 'bearer' },
        NeverUsed: { type: 'apiKey', in: 'header', name: 'X-Key' },
      },
    },
  };
}

const KEPT_SCHEMAS = [
  'CycleA',
  'CycleB',
  'DeepNested',
  'ErrorFromResponse',
  'FromAdditionalProperties',
  'FromAllOf',
  'FromAnyOf',
  'FromItems',
  'FromOneOf',
  'IdFromParameter',
  'InlineParamSchema',
  'KeepRequest',
  'KeepResponse',
  'Tree',
];

function overlay(actions: Doc[]): OverlayDoc {
  return { overlay: '1.0.0', info: { title: 'test overlay', version: '1.0.0' }, actions } as OverlayDoc;
}

describe('extractFragment: transitive closure', () => {
  it('keeps exactly the schemas the operation reaches, through every kind of $ref, in sorted order', async () => {
    const { fragment, unmatchedActions } = await extractFragment(spec(), ['keep']);
    expect(Object.keys(fragment.components.schemas)).toEqual(KEPT_SCHEMAS);
    expect(unmatchedActions).toEqual([]);
    // The kept schemas are carried over unchanged.
    expect(fragment.components.schemas.KeepRequest).toEqual(spec().components.schemas.KeepRequest);
    expect(() => assertNoDanglingRefs(fragment)).not.toThrow();
  });

  it.each([
    ['items', 'FromItems'],
    ['additionalProperties', 'FromAdditionalProperties'],
    ['anyOf', 'FromAnyOf'],
    ['oneOf', 'FromOneOf'],
    ['allOf', 'FromAllOf'],
    ['a schema reached through anyOf, then items', 'DeepNested'],
    ['an inline parameter', 'InlineParamSchema'],
    ['a component parameter', 'IdFromParameter'],
    ['a component response', 'ErrorFromResponse'],
    ['a component requestBody', 'KeepRequest'],
  ])('follows a $ref in %s (keeps %s)', async (_where, name) => {
    const { fragment } = await extractFragment(spec(), ['keep']);
    expect(fragment.components.schemas).toHaveProperty([name]);
  });

  it('keeps the component parameters, responses and requestBodies the operation uses, and only those', async () => {
    const { fragment } = await extractFragment(spec(), ['keep']);
    expect(Object.keys(fragment.components.parameters)).toEqual(['IdParam']);
    expect(Object.keys(fragment.components.requestBodies)).toEqual(['KeepBody']);
    expect(Object.keys(fragment.components.responses)).toEqual(['ErrorResponse']);
    for (const name of ['OnlyFromUnusedParam', 'OnlyFromUnusedBody', 'OnlyFromUnusedResponse']) {
      expect(fragment.components.schemas).not.toHaveProperty([name]);
    }
  });

  it('keeps self-recursive and mutually recursive schemas, with their $refs intact', async () => {
    const { fragment } = await extractFragment(spec(), ['keep']);
    const s = fragment.components.schemas;
    expect(s.Tree.properties.children.items).toEqual(ref('Tree'));
    expect(s.CycleA.properties.b).toEqual(ref('CycleB'));
    expect(s.CycleB.properties.a).toEqual(ref('CycleA'));
  });

  it('terminates on a spec that is nothing but a recursive cycle', async () => {
    const doc: Doc = {
      openapi: '3.1.0',
      info: { title: 'cycle', version: '1' },
      paths: { '/n': { get: { operationId: 'node', responses: { '200': ok(ref('Node')) } } } },
      components: {
        schemas: {
          Node: { type: 'object', properties: { self: ref('Node'), peer: ref('Peer') } },
          Peer: { type: 'object', properties: { back: ref('Node'), self: ref('Peer') } },
        },
      },
    };
    const { fragment } = await extractFragment(doc, ['node']);
    expect(Object.keys(fragment.components.schemas)).toEqual(['Node', 'Peer']);
  });

  it('leaves out unused schemas, including unused recursive ones', async () => {
    const { fragment } = await extractFragment(spec(), ['keep']);
    for (const name of ['Unused', 'UnusedSelfRecursive', 'UnusedCycleA', 'UnusedCycleB']) {
      expect(fragment.components.schemas).not.toHaveProperty([name]);
    }
  });

  it('leaves out other operations, their paths and the schemas only they use', async () => {
    const { fragment } = await extractFragment(spec(), ['keep']);
    expect(Object.keys(fragment.paths)).toEqual(['/keep/{id}']);
    expect(Object.keys(fragment.paths['/keep/{id}'])).toEqual(['post']);
    expect(fragment.components.schemas).not.toHaveProperty(['OtherOnly']);
    expect(fragment.components.schemas).not.toHaveProperty(['OtherNested']);
  });

  it('drops webhooks, and a schema referenced only from a webhook', async () => {
    const { fragment } = await extractFragment(spec(), ['keep']);
    expect(fragment).not.toHaveProperty('webhooks');
    expect(fragment.components.schemas).not.toHaveProperty(['WebhookOnly']);
    expect(fragment.components.schemas).not.toHaveProperty(['WebhookNested']);
    expect(await toYaml(fragment)).not.toMatch(/Webhook/);
  });

  it('can extract several operations at once', async () => {
    const { fragment } = await extractFragment(spec(), ['keep', 'other']);
    expect(Object.keys(fragment.paths).sort()).toEqual(['/keep/{id}', '/other']);
    expect(Object.keys(fragment.components.schemas)).toEqual(
      [...KEPT_SCHEMAS, 'OtherNested', 'OtherOnly'].sort(),
    );
    expect(Object.keys(fragment.components.securitySchemes)).toEqual([
      'AdminApiKeyAuth',
      'ApiKeyAuth',
      'OAuth',
    ]);
  });

  it('does not modify the upstream document it is given', async () => {
    const doc = spec();
    await extractFragment(doc, ['keep'], overlay([{ target: '$.components.schemas.Unused', remove: true }]));
    expect(doc).toEqual(spec());
  });

  it('is deterministic: the same input gives the same YAML', async () => {
    const a = await toYaml((await extractFragment(spec(), ['keep'])).fragment);
    const b = await toYaml((await extractFragment(spec(), ['keep'])).fragment);
    expect(a).toBe(b);
  });
});

describe('extractFragment: security schemes', () => {
  it('keeps the schemes named by top-level and operation security, and no others', async () => {
    const { fragment } = await extractFragment(spec(), ['keep']);
    expect(Object.keys(fragment.components.securitySchemes)).toEqual(['ApiKeyAuth', 'OAuth']);
    expect(fragment.components.securitySchemes.ApiKeyAuth).toEqual({ type: 'http', scheme: 'bearer' });
    expect(fragment.security).toEqual([{ ApiKeyAuth: [] }]);
  });

  it('drops securitySchemes entirely when nothing requires one', async () => {
    const doc = spec();
    delete doc.security;
    delete doc.paths['/keep/{id}'].post.security;
    const { fragment } = await extractFragment(doc, ['keep']);
    expect(fragment).not.toHaveProperty('security');
    expect(fragment.components).not.toHaveProperty('securitySchemes');
  });

  it('refuses a security requirement naming a scheme that does not exist', async () => {
    const doc = spec();
    doc.paths['/keep/{id}'].post.security = [{ Missing: [] }];
    await expect(extractFragment(doc, ['keep'])).rejects.toThrow(
      'security requirement names unknown scheme "Missing"',
    );
  });
});

describe('extractFragment: errors', () => {
  it('names an unknown operationId', async () => {
    await expect(extractFragment(spec(), ['keep', 'no-such-operation'])).rejects.toThrow(
      'operation(s) not found upstream: no-such-operation',
    );
  });

  it('refuses a dangling $ref in the closure, naming the ref and the pointer where it sits', async () => {
    const doc = spec();
    doc.components.schemas.FromItems = { type: 'object', properties: { ghost: ref('DoesNotExist') } };
    await expect(extractFragment(doc, ['keep'])).rejects.toThrow(
      'dangling $ref "#/components/schemas/DoesNotExist" at #/components/schemas/FromItems/properties/ghost',
    );
  });

  it('refuses a dangling $ref to a component parameter', async () => {
    const doc = spec();
    doc.paths['/keep/{id}'].post.parameters.push({ $ref: '#/components/parameters/Gone' });
    await expect(extractFragment(doc, ['keep'])).rejects.toThrow(
      /dangling \$ref "#\/components\/parameters\/Gone" at #\/paths\/~1keep~1\{id\}\/post\/parameters\/2/,
    );
  });

  it('does not mind a dangling $ref outside the closure (it is not in the fragment)', async () => {
    const doc = spec();
    doc.components.schemas.Unused = { type: 'object', properties: { ghost: ref('DoesNotExist') } };
    const { fragment } = await extractFragment(doc, ['keep']);
    expect(fragment.components.schemas).not.toHaveProperty(['Unused']);
  });
});

describe('assertNoDanglingRefs', () => {
  const base = (extra: Doc): Doc => ({
    openapi: '3.1.0',
    paths: {},
    components: { schemas: { 'Has.Dot': { type: 'string' }, Ok: { type: 'string' }, ...extra } },
  });

  it('accepts refs that resolve', () => {
    expect(() =>
      assertNoDanglingRefs(base({ X: { items: ref('Ok'), anyOf: [ref('Has.Dot')] } })),
    ).not.toThrow();
  });

  it('escapes "/" and "~" in the pointer it reports', () => {
    const doc = base({});
    doc.paths = { '/a/{b}': { get: { 'x~y': [{ schema: ref('Nope') }] } } };
    expect(() => assertNoDanglingRefs(doc)).toThrow(
      'dangling $ref "#/components/schemas/Nope" at #/paths/~1a~1{b}/get/x~0y/0/schema: nothing in the spec has that pointer',
    );
  });

  it('resolves escaped tokens in the $ref itself', () => {
    const doc = base({});
    doc.paths = { '/a/b': { get: { responses: {} } } };
    doc.components.schemas.X = { $ref: '#/paths/~1a~1b/get' };
    expect(() => assertNoDanglingRefs(doc)).not.toThrow();
  });

  it('refuses external refs', () => {
    expect(() => assertNoDanglingRefs(base({ X: { $ref: 'other.yaml#/components/schemas/Y' } }))).toThrow(
      'external $ref "other.yaml#/components/schemas/Y" at #/components/schemas/X is not supported',
    );
  });
});

describe('extractFragment: overlay', () => {
  it('applies matching actions before extraction', async () => {
    const { fragment, unmatchedActions } = await extractFragment(
      spec(),
      ['keep'],
      overlay([
        { target: '$.components.schemas.FromItems', update: { description: 'patched' } },
        // Removing the reference also removes the schema from the closure.
        { target: '$.components.schemas.KeepRequest.properties.tree', remove: true },
      ]),
    );
    expect(unmatchedActions).toEqual([]);
    expect(fragment.components.schemas.FromItems).toEqual({ type: 'string', description: 'patched' });
    expect(fragment.components.schemas.KeepRequest.properties).not.toHaveProperty('tree');
    expect(fragment.components.schemas).not.toHaveProperty(['Tree']);
  });

  it('reports an action whose target matches nothing, and only that one', async () => {
    const stale = {
      target: '$.components.schemas.KeepRequest.properties.client_secret',
      description: 'fixed upstream',
      remove: true,
    };
    const { fragment, unmatchedActions } = await extractFragment(
      spec(),
      ['keep'],
      overlay([{ target: '$.components.schemas.FromOneOf', update: { description: 'hit' } }, stale]),
    );
    expect(unmatchedActions).toHaveLength(1);
    expect(unmatchedActions[0]).toMatchObject({ target: stale.target, description: 'fixed upstream' });
    expect(fragment.components.schemas.FromOneOf.description).toBe('hit');
  });

  it('an overlay can add a schema that the closure then keeps', async () => {
    const { fragment } = await extractFragment(
      spec(),
      ['keep'],
      overlay([
        { target: '$.components.schemas', update: { Added: { type: 'string' } } },
        { target: '$.components.schemas.KeepRequest.properties', update: { added: ref('Added') } },
      ]),
    );
    expect(fragment.components.schemas.Added).toEqual({ type: 'string' });
  });

  it('refuses an overlay that leaves a dangling $ref behind', async () => {
    await expect(
      extractFragment(
        spec(),
        ['keep'],
        overlay([{ target: '$.components.schemas.FromItems', remove: true }]),
      ),
    ).rejects.toThrow(
      /dangling \$ref "#\/components\/schemas\/FromItems" at #\/components\/schemas\/KeepRequest/,
    );
  });
});

describe('listOperationIds and parseDocument', () => {
  it('lists every operationId', () => {
    expect(listOperationIds(spec()).sort()).toEqual(['keep', 'other']);
  });

  it('parses YAML and JSON', async () => {
    expect(await parseDocument('openapi: 3.1.0\npaths: {}\n', 'a.yaml')).toEqual({
      openapi: '3.1.0',
      paths: {},
    });
    expect(await parseDocument('{"openapi":"3.1.0"}', 'a.json')).toEqual({ openapi: '3.1.0' });
  });

  it('names the file when the text is not a mapping', async () => {
    await expect(parseDocument('- a\n- b\n', 'list.yaml')).rejects.toThrow(
      'list.yaml is not an OpenAPI document (expected a mapping at the top level)',
    );
  });

  it('names the file when the text is not YAML', async () => {
    await expect(parseDocument('a: [unclosed\n', 'broken.yaml')).rejects.toThrow(
      /broken\.yaml is not valid YAML or JSON/,
    );
  });
});
