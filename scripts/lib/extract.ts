// Turns a whole upstream OpenAPI document into the pinned fragment: corrections applied, only the
// listed operations, the transitive closure of their $refs, deterministic key order.
// openapi-format does the tree work (overlay, filter by operationId, unused components, sort);
// what it does not do is refuse a dangling $ref, so that check lives here.
import openapiFormat, { type OpenAPIOverlayAction, type OpenAPIOverlayOptions } from 'openapi-format';

export type Doc = Record<string, any>;

export type OverlayDoc = OpenAPIOverlayOptions['overlaySet'];
export type OverlayAction = OpenAPIOverlayAction;

/** Parses YAML or JSON text; openapi-format returns parse errors instead of throwing them. */
export async function parseDocument(text: string, label: string): Promise<Doc> {
  const parsed = await openapiFormat.parseString(text);
  if (parsed instanceof Error) throw new Error(`${label} is not valid YAML or JSON: ${parsed.message}`);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(`${label} is not an OpenAPI document (expected a mapping at the top level)`);
  }
  return parsed as Doc;
}

export interface ExtractResult {
  fragment: Doc;
  /** Overlay actions whose target matched nothing in this upstream. */
  unmatchedActions: OverlayAction[];
}

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const COMPONENT_KINDS = [
  'schemas',
  'parameters',
  'responses',
  'requestBodies',
  'headers',
  'examples',
  'links',
  'callbacks',
];

export function listOperationIds(doc: Doc): string[] {
  const ids: string[] = [];
  for (const item of Object.values<Doc>(doc.paths ?? {})) {
    for (const method of HTTP_METHODS) {
      const id = item?.[method]?.operationId;
      if (typeof id === 'string') ids.push(id);
    }
  }
  return ids;
}

export async function extractFragment(
  upstream: Doc,
  operationIds: string[],
  overlay?: OverlayDoc,
  webhookNames: string[] = [],
): Promise<ExtractResult> {
  let doc: Doc = structuredClone(upstream);
  let unmatchedActions: OverlayAction[] = [];

  if (overlay) {
    const { data, resultData } = await openapiFormat.openapiOverlay(doc, { overlaySet: overlay });
    doc = data;
    unmatchedActions = resultData.unusedActions as OverlayAction[];
  }

  const known = new Set(listOperationIds(doc));
  const missing = operationIds.filter((id) => !known.has(id));
  if (missing.length) {
    throw new Error(`operation(s) not found upstream: ${missing.join(', ')}`);
  }

  // Only the listed webhooks: the others reference unrelated schemas and would keep them alive in
  // the closure. openapi-format counts the kept ones' $refs as used.
  const upstreamWebhooks: Doc = doc.webhooks ?? {};
  const missingHooks = webhookNames.filter((name) => !Object.hasOwn(upstreamWebhooks, name));
  if (missingHooks.length) throw new Error(`webhook(s) not found upstream: ${missingHooks.join(', ')}`);
  delete doc.webhooks;
  if (webhookNames.length) {
    doc.webhooks = Object.fromEntries(webhookNames.map((name) => [name, upstreamWebhooks[name]]));
  }

  const { data: filtered } = await openapiFormat.openapiFilter(doc, {
    filterSet: { inverseOperationIds: operationIds, unusedComponents: COMPONENT_KINDS },
  });

  const components: Doc = {};
  for (const kind of COMPONENT_KINDS) {
    if (filtered.components?.[kind] && Object.keys(filtered.components[kind]).length) {
      components[kind] = filtered.components[kind];
    }
  }
  const schemes = usedSecuritySchemes(filtered);
  if (schemes.length) {
    components.securitySchemes = {};
    for (const name of schemes) {
      const scheme = filtered.components?.securitySchemes?.[name];
      if (!scheme) throw new Error(`security requirement names unknown scheme "${name}"`);
      components.securitySchemes[name] = scheme;
    }
  }

  const fragment: Doc = {
    openapi: filtered.openapi,
    info: filtered.info,
    ...(filtered.servers ? { servers: filtered.servers } : {}),
    ...(filtered.security ? { security: filtered.security } : {}),
    paths: filtered.paths,
    ...(filtered.webhooks && Object.keys(filtered.webhooks).length ? { webhooks: filtered.webhooks } : {}),
    ...(Object.keys(components).length ? { components } : {}),
  };

  assertNoDanglingRefs(fragment);

  const { data: sorted } = await openapiFormat.openapiSort(fragment, {
    sortComponentsSet: [...COMPONENT_KINDS, 'securitySchemes'],
  });
  return { fragment: sorted, unmatchedActions };
}

function usedSecuritySchemes(doc: Doc): string[] {
  const names = new Set<string>();
  const add = (reqs: unknown) => {
    if (Array.isArray(reqs)) for (const r of reqs) for (const k of Object.keys(r ?? {})) names.add(k);
  };
  add(doc.security);
  for (const item of Object.values<Doc>(doc.paths ?? {})) {
    for (const method of HTTP_METHODS) add(item?.[method]?.security);
  }
  return [...names].sort();
}

function escapePointer(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The node a local `$ref` (`#/...`) points at, or undefined. */
export function resolvePointer(doc: Doc, ref: string): unknown {
  let node: unknown = doc;
  for (const raw of ref.slice(2).split('/')) {
    const token = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, token)) return undefined;
    node = (node as Doc)[token];
  }
  return node;
}

/** Throws naming the first local `$ref` that resolves to nothing, and where it sits. */
export function assertNoDanglingRefs(doc: Doc): void {
  const walk = (node: unknown, at: string): void => {
    if (Array.isArray(node)) {
      node.forEach((child, i) => walk(child, `${at}/${i}`));
      return;
    }
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') {
        if (!value.startsWith('#/')) {
          throw new Error(`external $ref "${value}" at #${at} is not supported in the fragment`);
        }
        if (resolvePointer(doc, value) === undefined) {
          throw new Error(`dangling $ref "${value}" at #${at}: nothing in the spec has that pointer`);
        }
      } else {
        walk(value, `${at}/${escapePointer(key)}`);
      }
    }
  };
  walk(doc, '');
}

export async function toYaml(doc: Doc): Promise<string> {
  const text: string = await openapiFormat.stringify(doc, { format: 'yaml', lineWidth: 0 });
  return text.endsWith('\n') ? text : `${text}\n`;
}
