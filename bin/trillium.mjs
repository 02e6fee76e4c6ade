#!/usr/bin/env node
// Runs the TypeScript command line directly (tsx compiles on load; see docs/adr/0008).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
