// The `streamsim` command line, run two ways: in this process through main() (the same parsing,
// commands, messages and exit codes, without the seconds a new Node process spends loading the
// TypeScript loader and the chart libraries), and spawned as a user runs it, for the cases that must
// see the real executable: its exit status and its output streams.

import { spawnSync } from "node:child_process";
import { vi } from "vitest";
import { main } from "../../sim/cli/main.ts";

export interface Outcome {
  status: number | null;
  stdout: string;
  stderr: string;
}

function text(chunk: unknown): string {
  return typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8");
}

/** `streamsim ...args` in this process: stdout and stderr captured, the exit code read and restored. */
export async function streamsimInProcess(...args: string[]): Promise<Outcome> {
  let stdout = "";
  let stderr = "";
  const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk: unknown) => ((stdout += text(chunk)), true));
  const err = vi.spyOn(process.stderr, "write").mockImplementation((chunk: unknown) => ((stderr += text(chunk)), true));
  const previousExitCode = process.exitCode;
  process.exitCode = undefined;
  try {
    await main([process.execPath, "streamsim", ...args]);
    return { status: Number(process.exitCode ?? 0), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = previousExitCode;
  }
}

/** `streamsim ...args` as a new process (bin/streamsim.js), as a user runs it. */
export function streamsimSpawned(...args: string[]): Outcome {
  return streamsimSpawnedWithInput("", ...args);
}

/** `streamsim ...args` as a new process with `input` on its standard input (`streamsim run -`). */
export function streamsimSpawnedWithInput(input: string, ...args: string[]): Outcome {
  const result = spawnSync(process.execPath, ["bin/streamsim.js", ...args], { cwd: process.cwd(), encoding: "utf8", timeout: 30_000, input });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
