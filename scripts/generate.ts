// npm run generate: regenerates generated/ from the pinned fragment (refuses a hand-edited one).
import { generate } from './lib/generate.js';
import { GENERATED_DIR } from './lib/project.js';

generate(GENERATED_DIR).then(
  ({ skipped }) => {
    if (skipped) {
      const bar = '!'.repeat(78);
      console.error(`\n${bar}\nskipped: openapi-generator validate + docs: ${skipped}\n${bar}`);
    }
    console.log('generated/ regenerated from openapi/realtime.yaml');
  },
  (err: Error) => {
    console.error(`generate failed: ${err.message}`);
    process.exit(1);
  },
);
