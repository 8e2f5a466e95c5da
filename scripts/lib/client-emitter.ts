// The client layer emitter: from the pinned fragment, every operation's typed plain and
// `…WithHttpInfo` standalone functions, its `RealtimeApi` methods, the request and response type
// aliases, and the operation list (JSON for tools, a markdown table for the README).
//
// Each operation is read into an `Operation` (method, path, path parameters, the request media
// type sent, the answer kind, its text), then written from small text templates. TypeScript's
// parser checks the result before prettier formats it, so an emitter bug fails `npm run generate`,
// never a user's build. Why this and not openapi-generator templates: CONTRIBUTING.md.
import * as prettier from 'prettier';
import ts from 'typescript';
import { parse } from 'yaml';

type Doc = Record<string, any>;

/** What the generated code needs to know about one pinned operation. */
export interface Operation {
  operationId: string;
  /** `operationId` in camelCase: the function and method name. */
  name: string;
  method: 'POST';
  path: string;
  pathParameters: { name: string; argument: string; description: string }[];
  /** Every request media type the spec lists. */
  requestMediaTypes: string[];
  /** What the SDK sends: `application/json`, `multipart/form-data`, or nothing. */
  sends: 'application/json' | 'multipart/form-data' | null;
  bodyRequired: boolean;
  /** The request type's name, when a body is sent. */
  requestType: string | null;
  /** Multipart parts: name → [media type, required]. */
  parts: Record<string, [string, boolean]> | null;
  /** The 2xx answer: a JSON object, nothing, or an SDP answer. */
  answer: { status: number; kind: 'json' | 'empty' | 'sdp'; type: string | null };
  summary: string;
  description: string;
  returns: string;
  deprecated: boolean;
  /** Set for the beta minting operations: which beta kind the handwritten fallback translates. */
  fallback: 'realtime' | 'transcription' | null;
  example: string | null;
}

export interface EmitterInput {
  fragmentText: string;
  /** Upstream operationIds, in the order of openapi/operations.json. */
  operationIds: string[];
  fallbacks: Record<string, 'realtime' | 'transcription'>;
  /** The header line, without comment markers. */
  header: string;
}

const camel = (id: string) => id.replace(/[-_]([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const refName = (schema: Doc | undefined) =>
  typeof schema?.$ref === 'string' ? (schema.$ref as string).split('/').pop()! : null;

function resolve(doc: Doc, node: Doc | undefined): Doc | undefined {
  if (!node || typeof node.$ref !== 'string') return node;
  return node.$ref
    .slice(2)
    .split('/')
    .reduce((at: Doc | undefined, key: string) => at?.[key], doc);
}

/** Reads the operations listed in `operationIds` out of the fragment. */
export function readOperations(input: EmitterInput): Operation[] {
  const doc = parse(input.fragmentText) as Doc;
  const byId = new Map<string, { path: string; method: string; op: Doc }>();
  for (const [route, item] of Object.entries<Doc>(doc.paths ?? {})) {
    for (const [method, op] of Object.entries<Doc>(item)) {
      if (typeof op?.operationId === 'string') byId.set(op.operationId, { path: route, method, op });
    }
  }
  return input.operationIds.map((operationId) => {
    const found = byId.get(operationId);
    if (!found) throw new Error(`client emitter: ${operationId} is not in the fragment`);
    const { path, method, op } = found;
    if (method !== 'post') {
      throw new Error(
        `client emitter: ${operationId} is ${method.toUpperCase()}; the request path sends POST only`,
      );
    }
    const pathParameters = ((op.parameters ?? []) as Doc[])
      .map((p) => resolve(doc, p)!)
      .filter((p) => p.in === 'path')
      .map((p) => ({
        name: p.name as string,
        argument: camel(p.name),
        description: oneLine(p.description ?? ''),
      }));
    const unknownIn = ((op.parameters ?? []) as Doc[])
      .map((p) => resolve(doc, p)!)
      .find((p) => p.in !== 'path');
    if (unknownIn) {
      throw new Error(
        `client emitter: ${operationId} takes a ${unknownIn.in} parameter; the request path sends none`,
      );
    }

    const body = resolve(doc, op.requestBody);
    const content: Doc = body?.content ?? {};
    const requestMediaTypes = Object.keys(content);
    // A server calls with its API key: JSON, or multipart where the spec offers it (create-realtime-call's
    // raw `application/sdp` variant is for a page holding an ephemeral key).
    const sends = content['application/json']
      ? 'application/json'
      : content['multipart/form-data']
        ? 'multipart/form-data'
        : requestMediaTypes.length
          ? (() => {
              throw new Error(
                `client emitter: ${operationId} sends ${requestMediaTypes.join(', ')}; add it to the emitter and src/client/wire.ts`,
              );
            })()
          : null;
    const media = sends ? content[sends] : undefined;
    let parts: Operation['parts'] = null;
    if (sends === 'multipart/form-data') {
      const schema = resolve(doc, media.schema)!;
      const required = new Set<string>(schema.required ?? []);
      parts = {};
      for (const [name, property] of Object.entries<Doc>(schema.properties ?? {})) {
        const declared = media.encoding?.[name]?.contentType as string | undefined;
        // OpenAPI 3.1 §4.8.15: without `encoding`, a string part is text/plain and others JSON.
        const type =
          declared ?? (resolve(doc, property)?.type === 'string' ? 'text/plain' : 'application/json');
        parts[name] = [type, required.has(name)];
      }
    }

    const [status, response] =
      Object.entries<Doc>(op.responses ?? {}).find(([code]) => /^2\d\d$/.test(code)) ?? [];
    if (!status) throw new Error(`client emitter: ${operationId} lists no 2xx response`);
    const answerContent: Doc = resolve(doc, response)?.content ?? {};
    const answer: Operation['answer'] = answerContent['application/json']
      ? { status: Number(status), kind: 'json', type: refName(answerContent['application/json'].schema) }
      : answerContent['application/sdp']
        ? { status: Number(status), kind: 'sdp', type: null }
        : Object.keys(answerContent).length === 0
          ? { status: Number(status), kind: 'empty', type: null }
          : (() => {
              throw new Error(
                `client emitter: ${operationId} answers ${Object.keys(answerContent).join(', ')}; add it to the emitter`,
              );
            })();
    if (answer.kind === 'json' && !answer.type)
      throw new Error(`client emitter: ${operationId}'s answer schema is not a $ref`);
    const requestType = media ? refName(media.schema) : null;
    if (sends && !requestType)
      throw new Error(`client emitter: ${operationId}'s request schema is not a $ref`);

    return {
      operationId,
      name: camel(operationId),
      method: 'POST',
      path,
      pathParameters,
      requestMediaTypes,
      sends,
      bodyRequired: body?.required === true,
      requestType,
      parts,
      answer,
      summary: String(op.summary ?? operationId).trim(),
      description: String(op.description ?? '').trim(),
      returns: String(op['x-oaiMeta']?.returns ?? resolve(doc, response)?.description ?? '').trim(),
      deprecated: op.deprecated === true,
      fallback: input.fallbacks[operationId] ?? null,
      example: exampleRequest(op, parts),
    };
  });
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/**
 * TSDoc-safe prose: no comment end, and outside code spans `@` and braces escaped so that they
 * stay text (inside a code span they already are, and a backslash would show).
 */
const tsdoc = (text: string) =>
  text
    .replace(/\*\//g, '*\\/')
    .split(/(`[^`\n]*`)/)
    .map((piece, i) => (i % 2 ? piece : piece.replace(/([@{}])/g, '\\$1')))
    .join('');

/**
 * The request of the spec's own curl example, as a JS literal: its `-d` JSON, or its `-F` parts
 * (an `application/sdp` part becomes the page's `offerSdp`). `null` when the example has none.
 */
function exampleRequest(op: Doc, parts: Operation['parts']): string | null {
  const curl: string | undefined = op['x-oaiMeta']?.examples?.request?.curl;
  if (typeof curl !== 'string') return null;
  if (parts) {
    const fields: string[] = [];
    for (const match of curl.matchAll(/-F\s+(['"])(\w+)=(.*?)\1/g)) {
      const [, , name, value] = match as unknown as [string, string, string, string];
      if (parts[name]?.[0] === 'application/sdp') fields.push(`${name}: offerSdp`);
      else {
        const json = tryJson(value.replace(/;type=[\w/+-]+$/, ''));
        if (json !== undefined) fields.push(`${name}: ${literal(json)}`);
      }
    }
    return fields.length ? `{ ${fields.join(', ')} }` : null;
  }
  const data = /-d\s+'([\s\S]*?)'/.exec(curl)?.[1];
  const json = data === undefined ? undefined : tryJson(data);
  return json === undefined ? null : literal(json);
}

function tryJson(text: string): unknown {
  try {
    // The spec's examples are hand-written: tolerate a trailing comma.
    return JSON.parse(text.replace(/,(\s*[}\]])/g, '$1'));
  } catch {
    return undefined;
  }
}

/** A JSON value as a TypeScript literal: unquoted keys where possible, single-quoted strings. */
function literal(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    return typeof value === 'string'
      ? `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`
      : String(value);
  }
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  const entries = Object.entries(value).map(
    ([k, v]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : `'${k}'`}: ${literal(v)}`,
  );
  return entries.length ? `{ ${entries.join(', ')} }` : '{}';
}

// ---------------------------------------------------------------------------------------------
// Templates

interface Shape {
  params: string; // the parameters after the path ones, typed
  args: string; // the call's arguments after the client
  returnType: string; // the WithHttpInfo payload type
  plainType: string; // what the plain form resolves to
}

function shape(op: Operation, standalone: boolean): Shape {
  const path = op.pathParameters.map((p) => `${p.argument}: string`);
  const body = op.sends ? [`request${op.bodyRequired ? '' : '?'}: ${op.requestType}`] : [];
  const options = [`options?: ${standalone ? 'ClientOptions & RequestOptions' : 'RequestOptions'}`];
  const params = [...path, ...body, ...options].join(', ');
  const pathExpr = op.pathParameters.length
    ? `pathOf('${op.path}', { ${op.pathParameters.map((p) => `${p.name}: ['${p.argument}', ${p.argument}]`).join(', ')} })`
    : `'${op.path}'`;
  const opts = standalone ? '{ signal: options?.signal }' : 'options';
  const requestArg = op.sends ? 'request' : 'undefined';
  let call: string;
  let returnType: string;
  let plainType: string;
  if (op.fallback) {
    const client = standalone ? 'client' : 'this.#client.options';
    const mode = standalone ? 'resolveBetaEndpoints(options)' : 'this.#client.betaEndpoints';
    const retired = standalone ? 'retirementsFor(client.baseUrl)' : 'this.#client.retired';
    call = `postBeta(${client}, ${mode}, ${retired}, '${op.fallback}', '${op.path}', request, ${opts})`;
    returnType = op.answer.type!;
    plainType = op.answer.type!;
  } else {
    const client = standalone ? 'resolveClientOptions(options)' : 'this.#client.options';
    if (op.answer.kind === 'json' && op.sends === 'application/json' && !op.pathParameters.length) {
      call = `post(${client}, ${pathExpr}, request, ${opts})`;
    } else if (op.answer.kind === 'empty' && op.sends !== 'multipart/form-data') {
      call = `postForStatus(${client}, ${pathExpr}, ${requestArg}, ${opts})`;
    } else if (op.answer.kind === 'sdp' && op.sends === 'multipart/form-data') {
      const parts = Object.entries(op.parts!)
        .map(([name, [type, required]]) => `${name}: ['${type}', ${required}]`)
        .join(', ');
      call = `postMultipartForSdp(${client}, ${pathExpr}, request, { ${parts} }, ${opts})`;
    } else {
      throw new Error(
        `client emitter: no request-path function sends ${op.sends ?? 'no body'} and reads a ${op.answer.kind} answer (${op.operationId}); add one to src/client/wire.ts`,
      );
    }
    returnType =
      op.answer.kind === 'json'
        ? op.answer.type!
        : op.answer.kind === 'sdp'
          ? 'RealtimeCallAnswer'
          : 'undefined';
    plainType = op.answer.kind === 'empty' ? 'void' : returnType;
  }
  const prelude = op.fallback && standalone ? 'const client = resolveClientOptions(options);\n' : '';
  return { params, args: `${prelude}return ${call};`, returnType, plainType };
}

function exampleCall(op: Operation, target: string, withHttpInfo: boolean, standalone: boolean): string[] {
  const args = [
    ...op.pathParameters.map((p) => p.argument),
    ...(op.sends ? [op.example ?? (op.bodyRequired ? 'request' : '{}')] : []),
    ...(standalone ? ['{ apiKey }'] : []),
  ];
  const fn = `${target}${op.name}${withHttpInfo ? 'WithHttpInfo' : ''}`;
  const lhs = withHttpInfo
    ? op.answer.kind === 'empty'
      ? 'const { status, requestId } = '
      : 'const { data, requestId } = '
    : op.answer.kind === 'empty'
      ? ''
      : op.answer.kind === 'sdp'
        ? 'const { sdp, callId } = '
        : `const ${/ClientSecret/.test(op.answer.type ?? '') ? '{ value, expires_at }' : 'result'} = `;
  const lines = [`${lhs}await ${fn}(${args.join(', ')});`];
  const prep: string[] = [];
  if (op.sends === 'multipart/form-data' && op.example?.includes('offerSdp')) {
    prep.push("const offerSdp = await req.text(); // the page's SDP offer, posted to your route");
  }
  if (!op.example && op.sends && op.bodyRequired)
    prep.push(`const request: ${op.requestType} = { /* … */ };`);
  if (op.pathParameters.length)
    prep.unshift(
      `const ${op.pathParameters[0]!.argument} = event.data.call_id; // from the realtime.call.incoming webhook`,
    );
  return [...prep, ...lines];
}

function docBlock(op: Operation, withHttpInfo: boolean, standalone: boolean, examples: Examples): string {
  const lines: string[] = [];
  if (withHttpInfo) {
    lines.push(
      `Like {@link ${standalone ? op.name : `RealtimeApi.${op.name}`}}, but also returns the status, headers and request id.`,
    );
  } else {
    lines.push(`${tsdoc(op.summary)}: \`${op.method} ${op.path}\`.`);
    if (op.description) lines.push('', ...tsdoc(op.description).split('\n'));
    if (op.deprecated) {
      lines.push(
        '',
        "**Deprecated upstream**: the live API retired this endpoint. By default (`betaEndpoints: 'fallback'`) this call",
        'moves to `POST /realtime/client_secrets` and translates both ways; see the README, "The live API of today".',
      );
    }
    if (standalone) {
      lines.push(
        '',
        'Without a client: convenient for scripts. A server making many calls should reuse one {@link RealtimeApi}.',
      );
    }
    lines.push('');
    for (const p of op.pathParameters)
      lines.push(`@param ${p.argument} - ${tsdoc(p.description)} One path segment, percent-encoded.`);
    if (op.sends) {
      lines.push(
        `@param request - the \`${op.sends}\` body (${op.requestType})${op.bodyRequired ? '' : '; optional'}.`,
      );
    }
    lines.push(
      standalone
        ? '@param options - client options and per-call options together.'
        : '@param options - per-call `signal`, `timeoutMs`, `maxRetries`, `headers`.',
    );
    const returns =
      op.answer.kind === 'empty'
        ? `nothing once the upstream answers ${op.answer.status}.`
        : op.answer.kind === 'sdp'
          ? '`{ sdp, callId }`: the SDP answer, and the call id from `Location` (`null` when absent).'
          : `the parsed \`${op.answer.type}\`.`;
    lines.push(`@returns ${returns}${op.returns ? ` Upstream: ${tsdoc(oneLine(op.returns))}` : ''}`);
    lines.push(
      '@throws {@link ApiError} (or a subclass such as {@link RateLimitError}) for a non-2xx status, after retries.',
      '@throws {@link ConnectionError} / {@link TimeoutError} when no response arrived, after retries.',
      `@throws {@link InvalidResponseError} for a 2xx that is not ${op.answer.kind === 'json' ? 'a JSON object' : op.answer.kind === 'sdp' ? 'an SDP answer' : 'within the size cap'}.`,
      `@throws {@link InvalidArgumentError} for an unusable argument${op.parts?.sdp ? ' (an `sdp` that is not an SDP offer)' : ''}; nothing is sent.`,
    );
    if (standalone)
      lines.push(
        '@throws {@link ConfigurationError} for a missing API key or an invalid option; nothing is sent.',
      );
  }
  lines.push('', '@example', '```ts');
  if (standalone && !withHttpInfo) lines.push(`import { ${op.name} } from 'realtime-sessions';`, '');
  lines.push(...examples.get(exampleKey(op, withHttpInfo, standalone))!);
  lines.push('```');
  return `/**\n${lines.map((l) => (l ? ` * ${l}` : ' *')).join('\n')}\n */`;
}

type Examples = Map<string, string[]>;
const exampleKey = (op: Operation, withHttpInfo: boolean, standalone: boolean) =>
  `${op.operationId}:${withHttpInfo}:${standalone}`;

/** Every example, formatted by prettier as code (prettier does not format code inside comments). */
async function formatExamples(ops: Operation[]): Promise<Examples> {
  const examples: Examples = new Map();
  for (const op of ops) {
    for (const withHttpInfo of [false, true]) {
      for (const standalone of [false, true]) {
        const code = exampleCall(op, standalone ? '' : 'api.', withHttpInfo, standalone).join('\n');
        const formatted = await prettier.format(code, {
          parser: 'typescript',
          singleQuote: true,
          printWidth: 90,
        });
        examples.set(exampleKey(op, withHttpInfo, standalone), formatted.trimEnd().split('\n'));
      }
    }
  }
  return examples;
}

/**
 * One operation's plain and `…WithHttpInfo` forms: standalone functions, or RealtimeApi methods
 * (which call through `this` and are indented into the class body).
 */
function forms(op: Operation, examples: Examples, standalone: boolean): string {
  const s = shape(op, standalone);
  const args = [
    ...op.pathParameters.map((p) => p.argument),
    ...(op.sends ? ['request'] : []),
    'options',
  ].join(', ');
  const call = `${standalone ? '' : 'this.'}${op.name}WithHttpInfo(${args})`;
  const plainBody =
    op.answer.kind === 'empty' && !op.fallback ? `await ${call};` : `return (await ${call}).data;`;
  const declare = standalone ? 'export async function ' : 'async ';
  const declareInfo = standalone ? 'export function ' : '';
  const text = `${docBlock(op, false, standalone, examples)}
${declare}${op.name}(${s.params}): Promise<${s.plainType}> {
  ${plainBody}
}

${docBlock(op, true, standalone, examples)}
${declareInfo}${op.name}WithHttpInfo(${s.params}): Promise<ApiResponse<${s.returnType}>> {
  ${s.args}
}`;
  return standalone ? text : text.replace(/^/gm, '  ');
}

/** The event type of each pinned webhook (`webhooks.<name>.post` request body). */
function webhookAliases(doc: Doc): string {
  return Object.entries<Doc>(doc.webhooks ?? {})
    .map(([hook, item]) => {
      const name = refName(item.post?.requestBody?.content?.['application/json']?.schema);
      if (!name) throw new Error(`client emitter: webhook ${hook} has no JSON event $ref`);
      const schema = doc.components?.schemas?.[name];
      const text = [
        ...tsdoc(String(schema?.description ?? name).trim()).split('\n'),
        '',
        `The event of the \`${hook}\` webhook (\`type: '${schema?.title ?? hook}'\`): schema \`${name}\` of the pinned fragment. {@link unwrapWebhook} verifies and returns it.`,
      ];
      return `/**\n${text.map((l) => (l ? ` * ${l}` : ' *')).join('\n')}\n */\nexport type ${name} = components['schemas']['${name}'];`;
    })
    .join('\n\n');
}

function typeAliases(ops: Operation[], doc: Doc): string {
  const names = [
    ...new Set(ops.flatMap((op) => [op.requestType, op.answer.type]).filter((n): n is string => !!n)),
  ];
  return names
    .map((name) => {
      const schema = doc.components?.schemas?.[name];
      const description = tsdoc(String(schema?.description ?? '').trim()) || name;
      const used = ops
        .filter((op) => op.requestType === name || op.answer.type === name)
        .map((op) => `${op.requestType === name ? 'request of' : 'answer of'} \`${op.name}\``);
      const text = [
        ...description.split('\n'),
        '',
        `The ${used.join(', the ')}: schema \`${name}\` of the pinned fragment, as openapi-typescript types it.`,
      ];
      return `/**\n${text.map((l) => (l ? ` * ${l}` : ' *')).join('\n')}\n */\nexport type ${name} = components['schemas']['${name}'];`;
    })
    .join('\n\n');
}

/** generated/client.ts: the type aliases, the standalone functions and the RealtimeApi class. */
export async function emitClient(input: EmitterInput, ops = readOperations(input)): Promise<string> {
  const doc = parse(input.fragmentText) as Doc;
  const examples = await formatExamples(ops);
  const uses = (f: (op: Operation) => boolean) => ops.some(f);
  const runtime = [
    uses((o) => !o.fallback && o.answer.kind === 'json') &&
      "import { post } from '../src/client/request.js';",
    uses((o) => !!o.fallback) &&
      "import { postBeta, resolveBetaEndpoints, retirementsFor } from '../src/client/beta-fallback.js';",
    `import { ${[
      uses((o) => o.pathParameters.length > 0) && 'pathOf',
      uses((o) => o.answer.kind === 'empty') && 'postForStatus',
      uses((o) => o.answer.kind === 'sdp') && 'postMultipartForSdp',
      uses((o) => o.answer.kind === 'sdp') && 'type RealtimeCallAnswer',
    ]
      .filter(Boolean)
      .join(', ')} } from '../src/client/wire.js';`,
  ].filter(Boolean);
  const source = `// ${input.header}
//
// The client layer: for each operation pinned in openapi/operations.json, a standalone
// \`name\` and \`nameWithHttpInfo\` and the same two as RealtimeApi methods, all one call into the
// handwritten request path (src/client/request.ts, src/client/wire.ts; the beta fallback in
// src/client/beta-fallback.ts). Path parameters come first, then the body, then the options.
import type { components } from './openapi.js';
import { resolveClientOptions, type ClientOptions, type RequestOptions } from '../src/client/options.js';
import { clientState, type ClientState } from '../src/client/state.js';
import type { ApiResponse } from '../src/client/types.js';
import type { ApiError, ConfigurationError, ConnectionError, InvalidArgumentError, InvalidResponseError, RateLimitError, TimeoutError } from '../src/core/errors.js';
${runtime.join('\n')}

${typeAliases(ops, doc)}

${webhookAliases(doc)}

${ops.map((op) => forms(op, examples, true)).join('\n\n')}

/**
 * Client for the OpenAI Realtime API's operations: minting credentials for a browser (GA client
 * secrets, translation secrets, and the beta sessions through the GA endpoint), WebRTC calls and
 * SIP call control. Create one per process and reuse it: it resolves options, environment and
 * headers once, and holds them in a private field.
 *
 * @example
 * \`\`\`ts
 * import { RealtimeApi } from 'realtime-sessions';
 *
 * const api = new RealtimeApi(); // reads OPENAI_API_KEY
 * const session = await api.createRealtimeSession({ model: 'gpt-realtime', voice: 'verse' });
 * sendToBrowser(session.client_secret.value); // the ephemeral key, never the API key
 * \`\`\`
 */
export class RealtimeApi {
  readonly #client: ClientState;

  /**
   * @param options - see {@link ClientOptions}; every field is optional.
   * @throws {@link ConfigurationError} when no API key is found, when running in a browser without
   * \`dangerouslyAllowBrowser\`, or when an option is invalid or unknown.
   */
  constructor(options: ClientOptions = {}) {
    this.#client = clientState(options);
  }

${ops.map((op) => forms(op, examples, false)).join('\n\n')}
}
`;
  assertParses(source, 'generated/client.ts');
  return source;
}

/** The operation list: what each operation is, for tools and the README's API table. */
export function emitOperationList(header: string, ops: Operation[]): string {
  const list = ops.map((op) => ({
    operationId: op.operationId,
    function: op.name,
    withHttpInfo: `${op.name}WithHttpInfo`,
    method: op.method,
    path: op.path,
    pathParameters: op.pathParameters.map((p) => ({ name: p.name, argument: p.argument })),
    requestMediaTypes: op.requestMediaTypes,
    sends: op.sends,
    ...(op.parts ? { parts: op.parts } : {}),
    answer: op.answer,
    summary: op.summary,
    deprecated: op.deprecated,
    ...(op.fallback ? { fallback: op.fallback } : {}),
  }));
  return `${JSON.stringify({ $generated: header, operations: list }, null, 2)}\n`;
}

/** The README's API table, between its markers, from the same list. */
export function emitApiTable(header: string, ops: Operation[]): string {
  const rows = ops.map((op) => {
    const args = [
      ...op.pathParameters.map((p) => p.argument),
      ...(op.sends ? [op.bodyRequired ? 'request' : 'request?'] : []),
      'options?',
    ];
    const returns =
      op.answer.kind === 'empty'
        ? '`void`'
        : op.answer.kind === 'sdp'
          ? '`{ sdp, callId }`'
          : `\`${op.answer.type}\``;
    const note = op.fallback
      ? ' (deprecated upstream: sent through GA by default)'
      : op.deprecated
        ? ' (deprecated)'
        : '';
    return `| \`${op.name}(${args.join(', ')})\` | \`${op.method} ${op.path}\` | ${returns} | ${op.summary}${note} |`;
  });
  return [
    `<!-- ${header} -->`,
    '| Function and method | Endpoint | Resolves to | Summary |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

function assertParses(source: string, label: string): void {
  const file = ts.createSourceFile(label, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const diagnostics = (file as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
  if (diagnostics.length) {
    const first = diagnostics[0]!;
    const { line, character } = file.getLineAndCharacterOfPosition(first.start ?? 0);
    throw new Error(
      `client emitter wrote invalid TypeScript (${label}:${line + 1}:${character + 1}): ${ts.flattenDiagnosticMessageText(first.messageText, '\n')}`,
    );
  }
}
