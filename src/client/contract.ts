import type { Client, ClientPathsWithMethod, FetchResponse, RequestBodyOption } from 'openapi-fetch';
import type { paths } from '../../generated/openapi.js';

/**
 * The typed layer, from openapi-fetch's own type machinery over the generated `paths`: what its
 * `client.POST(path, { body })` would accept and return. The request path (src/client/request.ts) is
 * written against these, so a pinned spec that changes a path, a body or a response breaks the
 * build, exactly as it would for a `createClient<paths>()` caller.
 */
export type PostPath = ClientPathsWithMethod<Client<paths>, 'post'>;

/** The JSON body of `POST path`. */
export type PostBody<P extends PostPath> = NonNullable<RequestBodyOption<paths[P]['post']>['body']>;

/** The parsed JSON of a 2xx answer to `POST path`. */
export type PostData<P extends PostPath> = NonNullable<
  FetchResponse<paths[P]['post'], { parseAs: 'json' }, 'application/json'>['data']
>;
