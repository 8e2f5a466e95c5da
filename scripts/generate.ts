// npm run generate: regenerates generated/ from the pinned fragment (refuses a hand-edited one).
import { GENERATED_DIR, generate } from './lib/generate.js';

generate(GENERATED_DIR).then(
  ({ skipped }) => {
    if (skipped) {
      console.error(
        `\n${'!'.repeat(78)}\nskipped: openapi-generator validate + docs: ${skipped}\n${'!'.repeat(78)}`,
      );
    }
    console.log('generated/ regenerated from openapi/realtime.yaml');
  },
  (err: Error) => {
    console.error(`generate failed: ${err.message}`);
    process.exit(1);
  },
);
