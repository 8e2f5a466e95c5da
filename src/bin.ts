#!/usr/bin/env node
// The `realtime-sessions` executable. All behaviour lives in ./cli.ts, where tests can reach it.
import { main } from './cli.js';

process.exitCode = await main(process.argv.slice(2));
