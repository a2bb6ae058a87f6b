#!/usr/bin/env -S node --max-semi-space-size=64
// The published entry point: runs the compiled CLI (npm run build -w packages/server).
// A 64 MB young generation: at 10,000 updates/s the default one was collected every 150 ms in
// 4–7 ms pauses, each delaying every update in flight (bench/: fewer pauses, less CPU, a lower p99).
// The bench and `npm start` read these flags from the line above.
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2), process.env);
