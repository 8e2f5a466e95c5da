// The Worker that workerd runs (bundled with esbuild by workerd.mjs, `realtime-sessions` resolved
// to the package under test). The token route is built the way a Worker must: from `env` bindings,
// which exist only inside `fetch`, once per isolate. `/__scenario` runs steps 1-4 inside workerd.
import * as sdk from 'realtime-sessions';
import { exported, handlerOptions, runClientSteps } from '../scenario.mjs';

let handler;

export default {
  async fetch(request, env) {
    const config = JSON.parse(env.MATRIX_CONFIG);
    if (new URL(request.url).pathname === '/__scenario') {
      return Response.json(await runClientSteps(sdk, config));
    }
    handler ??= exported(
      sdk,
      'createSessionHandler',
    )(handlerOptions(config, { apiKey: env.OPENAI_API_KEY, baseUrl: env.OPENAI_BASE_URL }));
    return handler(request);
  },
};
