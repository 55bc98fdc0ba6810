#!/usr/bin/env node
// The tgbench CLI. Sources are TypeScript run through tsx's loader, so there is no build step
// to forget and no stale dist/ to measure by mistake.
import { register } from "tsx/esm/api";

register();
// src/ never imports bench/: the bots and scenarios that ship with tgbench are registered here, at
// the edge, before the CLI reads its registries.
const { registerBench } = await import("../bench/index.ts");
registerBench();
await import("../src/cli/main.ts");
