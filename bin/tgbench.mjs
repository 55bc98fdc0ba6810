#!/usr/bin/env node
// The tgbench CLI. Sources are TypeScript run through tsx's loader, so there is no build step
// to forget and no stale dist/ to measure by mistake.
import { register } from "tsx/esm/api";

register();
await import("../src/cli/main.ts");
