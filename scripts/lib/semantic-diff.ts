// Semantic diff of two pinned fragments, classified from the client's point of view.
// No maintained tool here does this (@pb33f/openapi-changes downloads a binary at install time),
// so it is handwritten and kept to the rules the README documents.
import { HTTP_METHODS, resolvePointer, type Doc } from './extract.js';

// `notice`: a change that neither breaks a client nor gives it anything new, but that it should
// act on. Deprecation is one: an operation, parameter or schema marked `deprecated` is still in the
// contract with the same request and response, so every client built on the previous pin still
// compiles (openapi-typescript's `@deprecated` is a JSDoc tag: editors strike the name through, tsc
// does not fail) and still gets the documented answer. It is a heads-up to move off it.
export type Severity = 'breaking' | 'additive' | 'notice';
export interface Change {
  severity: Severity;
  where: string;
  what: string;
}

type Side = 'request' | 'response';
const REF_PREFIX = '#/components/schemas/';

function operations(doc: Doc): Map<string, Doc> {
  const out = new Map<string, Doc>();
  for (const [p, item] of Object.entries<Doc>(doc?.paths ?? {})) {
    for (const m of HTTP_METHODS) {
      if (item?.[m]) out.set(`${m.toUpperCase()} ${p}`, item[m]);
    }
  }
  return out;
}

/** The pinned webhooks, as `WEBHOOK name`: the events the upstream sends us. */
function webhooks(doc: Doc): Map<string, Doc> {
  return new Map(Object.entries<Doc>(doc?.webhooks ?? {}).map(([name, item]) => [`WEBHOOK ${name}`, item]));
}

/** Which sides (request, response) reach each named schema, through any chain of component refs. */
function schemaSides(doc: Doc): Map<string, Set<Side>> {
  const sides = new Map<string, Set<Side>>();
  const seen = new Set<string>();
  const visit = (node: unknown, side: Side): void => {
    if (Array.isArray(node)) return node.forEach((n) => visit(n, side));
    if (node === null || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith('#/components/')) {
        if (seen.has(`${side}:${v}`)) continue;
        seen.add(`${side}:${v}`);
        if (v.startsWith(REF_PREFIX)) {
          const name = v.slice(REF_PREFIX.length);
          sides.set(name, (sides.get(name) ?? new Set<Side>()).add(side));
        }
        visit(resolvePointer(doc, v), side);
      } else visit(v, side);
    }
  };
  for (const op of operations(doc).values()) {
    visit(op.requestBody, 'request');
    visit(op.parameters, 'request');
    visit(op.responses, 'response');
  }
  // A webhook's body is what the upstream sends and we read, as a response is: a field removed
  // from it breaks a receiver, a field added does not.
  for (const item of webhooks(doc).values()) visit(item, 'response');
  return sides;
}

function typeOf(schema: Doc | undefined): string {
  if (!schema || typeof schema !== 'object') return 'any';
  if (schema.$ref) return `$ref ${String(schema.$ref).replace(REF_PREFIX, '')}`;
  if (schema.type) return [schema.type].flat().join('|');
  for (const k of ['anyOf', 'oneOf', 'allOf']) {
    if (Array.isArray(schema[k])) return `${k}(${schema[k].map((s: Doc) => typeOf(s)).join(', ')})`;
  }
  if (schema.properties) return 'object';
  if (schema.items) return 'array';
  return 'any';
}

function diffSchema(
  a: Doc | undefined,
  b: Doc | undefined,
  where: string,
  sides: Set<Side>,
  out: Change[],
): void {
  const req = sides.has('request');
  const res = sides.has('response');
  const push = (severity: Severity, what: string) => out.push({ severity, where, what });

  if (a && b) deprecation(a, b, where, out);

  const ta = typeOf(a);
  const tb = typeOf(b);
  if (ta !== tb) {
    push('breaking', `type changed: ${ta} → ${tb}`);
    return;
  }
  if (!a || !b) return;
  if (!a.type !== !b.type && !a.$ref && !b.$ref) {
    // `items` or `properties` without `type` constrain only arrays or objects: any other JSON value
    // passes, and openapi-typescript types it `unknown`. Stating the type narrows what is accepted,
    // which breaks requests; dropping it widens what may come back, which breaks responses.
    const shown = (s: Doc, type: string) => (s.type ? type : `${type} (untyped)`);
    const breaking = b.type ? req : res;
    push(breaking ? 'breaking' : 'additive', `type changed: ${shown(a, ta)} → ${shown(b, tb)}`);
  }

  const ea: unknown[] | undefined = a.enum;
  const eb: unknown[] | undefined = b.enum;
  if (ea || eb) {
    const added = (eb ?? []).filter((v) => !(ea ?? []).includes(v));
    const removed = (ea ?? []).filter((v) => !(eb ?? []).includes(v));
    // A request enum losing a value rejects what clients send; a response enum gaining one is
    // something clients should already tolerate, so it counts as additive.
    if (added.length) push('additive', `enum gained ${added.map((v) => JSON.stringify(v)).join(', ')}`);
    if (removed.length) {
      push(req ? 'breaking' : 'additive', `enum lost ${removed.map((v) => JSON.stringify(v)).join(', ')}`);
    }
  }

  const pa: Doc = a.properties ?? {};
  const pb: Doc = b.properties ?? {};
  const ra = new Set<string>(a.required ?? []);
  const rb = new Set<string>(b.required ?? []);
  for (const name of Object.keys(pa)) {
    if (!(name in pb)) {
      out.push({ severity: 'breaking', where: `${where}.${name}`, what: 'property removed' });
    }
  }
  for (const name of Object.keys(pb)) {
    const at = `${where}.${name}`;
    if (!(name in pa)) {
      const breaking = req && rb.has(name);
      out.push({
        severity: breaking ? 'breaking' : 'additive',
        what: breaking ? 'required property added' : 'property added',
        where: at,
      });
      continue;
    }
    if (ra.has(name) !== rb.has(name)) {
      const nowRequired = rb.has(name);
      // Newly required in a request, or newly optional in a response, breaks existing callers.
      const breaking = (req && nowRequired) || (res && !nowRequired);
      out.push({
        severity: breaking ? 'breaking' : 'additive',
        where: at,
        what: nowRequired ? 'became required' : 'became optional',
      });
    }
    diffSchema(pa[name], pb[name], at, sides, out);
  }

  if (a.items || b.items) diffSchema(a.items, b.items, `${where}[]`, sides, out);
  if (typeof a.additionalProperties === 'object' || typeof b.additionalProperties === 'object') {
    diffSchema(a.additionalProperties, b.additionalProperties, `${where}{}`, sides, out);
  }
  for (const k of ['anyOf', 'oneOf', 'allOf']) {
    const la: Doc[] = a[k] ?? [];
    const lb: Doc[] = b[k] ?? [];
    for (let i = 0; i < Math.max(la.length, lb.length); i++) {
      diffSchema(la[i], lb[i], `${where}.${k}[${i}]`, sides, out);
    }
  }
}

export function semanticDiff(before: Doc | undefined, after: Doc): Change[] {
  const out: Change[] = [];
  const opsA = operations(before ?? {});
  const opsB = operations(after);
  for (const key of opsA.keys()) {
    if (!opsB.has(key)) out.push({ severity: 'breaking', where: key, what: 'operation removed' });
  }
  for (const key of opsB.keys()) {
    if (!opsA.has(key)) out.push({ severity: 'additive', where: key, what: 'operation added' });
  }

  const hooksA = webhooks(before ?? {});
  const hooksB = webhooks(after);
  for (const key of hooksA.keys()) {
    if (!hooksB.has(key)) out.push({ severity: 'breaking', where: key, what: 'webhook removed' });
  }
  for (const key of hooksB.keys()) {
    if (!hooksA.has(key)) out.push({ severity: 'additive', where: key, what: 'webhook added' });
  }

  for (const [key, b] of opsB) {
    const a = opsA.get(key);
    if (a) diffOperation(before ?? {}, a, after, b, key, out);
  }

  const sa: Doc = before?.components?.schemas ?? {};
  const sb: Doc = after?.components?.schemas ?? {};
  const sidesA = schemaSides(before ?? {});
  const sidesB = schemaSides(after);
  for (const name of Object.keys(sa)) {
    if (!(name in sb)) out.push({ severity: 'breaking', where: name, what: 'schema removed' });
  }
  for (const name of Object.keys(sb)) {
    if (!(name in sa)) {
      out.push({ severity: 'additive', where: name, what: 'schema added' });
      continue;
    }
    const sides = new Set<Side>([...(sidesA.get(name) ?? []), ...(sidesB.get(name) ?? [])]);
    diffSchema(sa[name], sb[name], name, sides, out);
  }
  return out;
}

/** `deprecated` turned on or off (a notice either way; see `Severity`). */
function deprecation(a: Doc, b: Doc, where: string, out: Change[]): void {
  if (Boolean(a.deprecated) === Boolean(b.deprecated)) return;
  out.push({ severity: 'notice', where, what: b.deprecated ? 'deprecated' : 'no longer deprecated' });
}

const REQUEST = new Set<Side>(['request']);
const RESPONSE = new Set<Side>(['response']);

function deref(doc: Doc, node: Doc | undefined): Doc | undefined {
  return node?.$ref &&
    String(node.$ref).startsWith('#/components/') &&
    !String(node.$ref).startsWith(REF_PREFIX)
    ? (resolvePointer(doc, node.$ref) as Doc | undefined)
    : node;
}

/** Parameters, request body and responses written inline in an operation (not named schemas). */
function diffOperation(docA: Doc, a: Doc, docB: Doc, b: Doc, op: string, out: Change[]): void {
  deprecation(a, b, op, out);
  const params = (doc: Doc, o: Doc) =>
    new Map<string, Doc>(
      (o.parameters ?? []).map((p: Doc) => deref(doc, p) ?? {}).map((p: Doc) => [`${p.in} ${p.name}`, p]),
    );
  const pa = params(docA, a);
  const pb = params(docB, b);
  for (const [id, p] of pa) {
    if (!pb.has(id))
      out.push({ severity: 'breaking', where: `${op} parameter ${id}`, what: 'parameter removed' });
    else if (!p.required && pb.get(id)!.required) {
      out.push({ severity: 'breaking', where: `${op} parameter ${id}`, what: 'became required' });
    } else if (p.required && !pb.get(id)!.required) {
      out.push({ severity: 'additive', where: `${op} parameter ${id}`, what: 'became optional' });
    }
    if (pb.has(id)) {
      deprecation(p, pb.get(id)!, `${op} parameter ${id}`, out);
      diffSchema(p.schema, pb.get(id)!.schema, `${op} parameter ${id}`, REQUEST, out);
    }
  }
  for (const [id, p] of pb) {
    if (!pa.has(id)) {
      out.push({
        severity: p.required ? 'breaking' : 'additive',
        where: `${op} parameter ${id}`,
        what: p.required ? 'required parameter added' : 'parameter added',
      });
    }
  }

  const ba = deref(docA, a.requestBody);
  const bb = deref(docB, b.requestBody);
  if (!ba?.required && bb?.required)
    out.push({ severity: 'breaking', where: `${op} requestBody`, what: 'became required' });
  for (const [mt, media] of Object.entries<Doc>(bb?.content ?? {})) {
    const before = ba?.content?.[mt];
    if (before) diffSchema(before.schema, media.schema, `${op} requestBody ${mt}`, REQUEST, out);
  }

  const ra: Doc = a.responses ?? {};
  const rb: Doc = b.responses ?? {};
  for (const code of Object.keys(ra)) {
    if (!(code in rb))
      out.push({ severity: 'breaking', where: `${op} response ${code}`, what: 'response removed' });
  }
  for (const code of Object.keys(rb)) {
    if (!(code in ra)) {
      out.push({ severity: 'additive', where: `${op} response ${code}`, what: 'response added' });
      continue;
    }
    const ca: Doc = deref(docA, ra[code])?.content ?? {};
    const cb: Doc = deref(docB, rb[code])?.content ?? {};
    for (const mt of Object.keys(ca)) {
      if (!(mt in cb))
        out.push({ severity: 'breaking', where: `${op} response ${code} ${mt}`, what: 'media type removed' });
      else diffSchema(ca[mt].schema, cb[mt].schema, `${op} response ${code} ${mt}`, RESPONSE, out);
    }
  }
}

const LABEL: Record<Severity, string> = { breaking: 'BREAKING', additive: 'additive', notice: 'notice  ' };

export function formatChanges(changes: Change[]): string {
  if (changes.length === 0) return 'Semantic diff: no changes';
  const count = (severity: Severity) => changes.filter((c) => c.severity === severity).length;
  const notices = count('notice');
  const summary =
    `Semantic diff: ${count('breaking')} breaking, ${count('additive')} additive` +
    (notices ? `, ${notices} ${notices === 1 ? 'notice' : 'notices'}` : '');
  const lines = changes.map((c) => `  ${LABEL[c.severity]}  ${c.where}: ${c.what}`);
  return [summary, ...lines].join('\n');
}
