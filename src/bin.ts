#!/usr/bin/env node
// The `realtime-sessions` executable. All behaviour lives in ./cli/index.ts, where tests can reach it.
import { main } from './cli/index.js';

process.exitCode = await main(process.argv.slice(2));
