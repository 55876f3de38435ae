// The cluster recipes in deploy/ run as their schedulers would run them: each recipe's own command, in
// N local processes with the index variables the scheduler sets (Kubernetes JOB_COMPLETION_INDEX, AWS
// Batch AWS_BATCH_JOB_ARRAY_INDEX, Slurm SLURM_ARRAY_TASK_ID from 1 with SLURM_ARRAY_TASK_MIN and
// SLURM_ARRAY_TASK_COUNT), then merged: sweep.csv must equal a single-process sweep's byte for byte.
// No image is built and no cluster is reached here; the files are parsed and the fields the docs rely on
// are checked.

import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";

const root = mkdtempSync(join(tmpdir(), "streamsim-schedulers-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const scenario = resolve("test/sweep/fixtures/tiny.yaml");
const cli = `${JSON.stringify(process.execPath)} ${JSON.stringify(resolve("bin/streamsim.js"))}`;
/** The recipe's command with `npx streamsim` run from this checkout (the image's npx resolves the same bin). */
const local = (command: string) => {
  expect(command).toContain("npx streamsim sweep");
  return command.replaceAll("npx streamsim", cli);
};

// The recipes check how schedulers start the command, not the model: they run the CLI the way a user's
// image does, compiled when dist/ is built and fresh (after npm ci), else from the sources (bin/entry.js
// decides). That saves a TypeScript start-up for each of the 13 processes.
const cliEnv = { ...process.env, STREAMSIM_FROM_SOURCE: "0" };

function shell(command: string, env: Record<string, string>, shellName = "sh") {
  // stdin closed: bash given a socket as stdin reads ~/.bashrc as if started by a remote shell daemon.
  const result = spawnSync(shellName, ["-c", command], { env: { PATH: process.env.PATH ?? "", ...cliEnv, ...env }, encoding: "utf8", timeout: 120_000, stdio: ["ignore", "pipe", "pipe"] });
  return { status: result.status, stderr: result.stderr, stdout: result.stdout };
}

function merge(directory: string, ...paths: string[]) {
  const result = spawnSync(process.execPath, [resolve("bin/streamsim.js"), "merge", ...paths, "--out", directory, "--quiet"], { encoding: "utf8", timeout: 120_000, env: cliEnv });
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  return readFileSync(join(directory, "sweep.csv"), "utf8");
}

describe("cluster recipes (deploy/)", { timeout: 240_000 }, () => {
  let single = "";
  it("a single-process sweep to compare against", () => {
    const result = spawnSync(process.execPath, [resolve("bin/streamsim.js"), "sweep", scenario, "--out", join(root, "single"), "--quiet", "--workers", "1"], { encoding: "utf8", timeout: 120_000, env: cliEnv });
    expect(result.status).toBe(0);
    single = readFileSync(join(root, "single", "sweep.csv"), "utf8");
  });

  it("Kubernetes Indexed Job: the pods' command with JOB_COMPLETION_INDEX, merged, equals one process", () => {
    const job = parse(readFileSync("deploy/kubernetes-indexed-job.yaml", "utf8"));
    expect(job.apiVersion).toBe("batch/v1");
    expect(job.kind).toBe("Job");
    const spec = job.spec;
    expect(spec.completionMode).toBe("Indexed");
    expect(spec.template.spec.restartPolicy).toBe("Never");
    // Retries per index for crashes; bad input (exit 2) fails its index at once; an eviction or preemption
    // is not counted (Kubernetes' own example for backoffLimitPerIndex with FailIndex). No Ignore on an
    // exit code: that would recreate a crashing pod without end.
    expect(spec.backoffLimitPerIndex).toBeGreaterThan(0);
    const container = spec.template.spec.containers[0];
    const rules = spec.podFailurePolicy.rules as Array<{ action: string; onExitCodes?: { containerName: string; operator: string; values: number[] }; onPodConditions?: Array<{ type: string }> }>;
    expect(rules.find((rule) => rule.action === "FailIndex")?.onExitCodes).toEqual({ containerName: container.name, operator: "In", values: [2] });
    expect(rules.find((rule) => rule.action === "Ignore")?.onPodConditions).toEqual([{ type: "DisruptionTarget" }]);
    expect(rules.every((rule) => rule.action !== "Ignore" || rule.onExitCodes === undefined)).toBe(true);
    const env = Object.fromEntries(container.env.map((entry: { name: string; value: string }) => [entry.name, entry.value]));
    expect(Number(env.SHARDS)).toBe(spec.completions);
    expect(spec.parallelism).toBe(spec.completions);
    expect(container.command.slice(0, 2)).toEqual(["sh", "-c"]);
    const results = join(root, "k8s");
    for (let index = 0; index < spec.completions; index++) {
      const run = shell(local(container.command[2]), { ...env, SCENARIO: scenario, RESULTS: results, JOB_COMPLETION_INDEX: String(index) });
      expect([run.status, run.stderr]).toEqual([0, ""]);
    }
    expect(merge(join(root, "k8s-merged"), join(results, "*", "sweep-shard-*.json"))).toBe(single);
  });

  it("AWS Batch array job: the definition's command with AWS_BATCH_JOB_ARRAY_INDEX, merged, equals one process", () => {
    const definition = JSON.parse(readFileSync("deploy/aws-batch-job-definition.json", "utf8"));
    const submit = JSON.parse(readFileSync("deploy/aws-batch-submit-job.json", "utf8"));
    expect(definition.type).toBe("container");
    expect(submit.jobDefinition).toBe(definition.jobDefinitionName);
    // Array sizes run from 2 to 10,000 (AWS Batch API, ArrayProperties).
    expect(submit.arrayProperties.size).toBeGreaterThanOrEqual(2);
    expect(submit.arrayProperties.size).toBeLessThanOrEqual(10_000);
    // Exit code 2 is bad input, which no retry fixes.
    expect(definition.retryStrategy.evaluateOnExit[0]).toEqual({ onExitCode: "2", action: "EXIT" });
    const container = definition.containerProperties;
    const env = Object.fromEntries(container.environment.map((entry: { name: string; value: string }) => [entry.name, entry.value]));
    expect(Number(env.SHARDS)).toBe(submit.arrayProperties.size);
    expect(env.WORKERS).toBe(container.resourceRequirements.find((entry: { type: string }) => entry.type === "VCPU").value);
    const results = join(root, "batch");
    for (let index = 0; index < submit.arrayProperties.size; index++) {
      const run = shell(local(container.command[2]), { ...env, SCENARIO: scenario, RESULTS: results, AWS_BATCH_JOB_ARRAY_INDEX: String(index) });
      expect([run.status, run.stderr]).toEqual([0, ""]);
    }
    expect(merge(join(root, "batch-merged"), join(results, "0"), join(results, "1"), join(results, "2"), join(results, "3"))).toBe(single);
  });

  it("Slurm job array from 1: the script with SLURM_ARRAY_TASK_ID, _MIN and _COUNT, merged, equals one process", () => {
    const script = readFileSync("deploy/slurm-sweep.sbatch", "utf8");
    const array = /^#SBATCH --array=(\d+)-(\d+)$/m.exec(script);
    expect(array).not.toBeNull();
    const [first, last] = [Number(array![1]), Number(array![2])];
    const cpus = Number(/^#SBATCH --cpus-per-task=(\d+)$/m.exec(script)![1]);
    const results = join(root, "slurm");
    for (let task = first; task <= last; task++) {
      // The last task re-run by hand from elsewhere, with the scenario's absolute path: still the same sweep.
      const env = { SCENARIO: task === last ? resolve(scenario) : scenario, RESULTS: results, SLURM_ARRAY_TASK_ID: String(task), SLURM_ARRAY_TASK_MIN: String(first), SLURM_ARRAY_TASK_MAX: String(last), SLURM_ARRAY_TASK_COUNT: String(last - first + 1), SLURM_CPUS_PER_TASK: String(cpus) };
      const run = shell(local(script), env, "bash");
      expect([run.status, run.stderr]).toEqual([0, ""]);
    }
    expect(merge(join(root, "slurm-merged"), join(results, "*"))).toBe(single);
  });

  it("the Dockerfile installs what the README's install does, with the fonts charts need", () => {
    const dockerfile = readFileSync("deploy/Dockerfile", "utf8");
    expect(dockerfile).toMatch(/^FROM node:22-bookworm-slim$/m);
    expect(dockerfile).toContain("fonts-dejavu-core");
    // npm ci runs prepare (the build), which needs the sources and tsconfig.build.json: copied before it.
    const copyAt = dockerfile.search(/^COPY \. \.$/m);
    const installAt = dockerfile.search(/^RUN npm ci$/m);
    expect(copyAt).toBeGreaterThan(0);
    expect(installAt).toBeGreaterThan(copyAt);
    // No ENTRYPOINT: AWS Batch's command replaces the image's CMD only, and ["npx", "streamsim"] before
    // the recipe's `sh -c ...` ran "streamsim sh", an unknown command (exit 2, no retry).
    expect(dockerfile).not.toMatch(/^ENTRYPOINT/m);
    const ignored = readFileSync(".dockerignore", "utf8").split("\n").map((line) => line.trim());
    for (const path of ["node_modules", "dist", "out", ".git"]) expect(ignored).toContain(path);
  });
});
