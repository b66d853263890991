#!/usr/bin/env node
// Entry point of the `wasmvisor` command (package.json "bin"): runs the CLI on this process's
// arguments and streams and sets the exit status (without process.exit, so output drains).
import { processIo, runCli } from "./cli.js";

process.exitCode = await runCli(process.argv.slice(2), processIo());
