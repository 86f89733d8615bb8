/**
 * Global setup of `npm run test:scale`: the production install that
 * docs/betrieb.md describes — the build artefacts plus the packages that
 * `npm prune --omit=dev` keeps — in a folder of its own, from which the
 * harness starts every app and worker process. A start that still needed a
 * devDependency (tsx, TypeScript, esbuild …) fails here as it would on the server.
 *
 * The folder holds what the server holds after `npm ci && npm run build &&
 * npm prune --omit=dev`: package.json, package-lock.json, next.config.mjs,
 * db/migrations (applied at start), dist/ (the compiled start and worker,
 * scripts/build-server.mjs) and the Next build (NEXT_DIST_DIR, default .next).
 * node_modules gets exactly the lock file's packages not marked `dev`, which is
 * the set `npm prune --omit=dev` leaves; they are hard links into this
 * checkout's node_modules (nothing in production writes there), so the copy
 * takes seconds, not the minute a full copy of ~1 GB would.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** The production install the processes run from. */
    prodRoot: string;
  }
}

const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Lock-file paths of the packages a production install keeps (`npm prune --omit=dev`). */
export function productionPackages(lock: { packages: Record<string, { dev?: boolean }> }): string[] {
  return Object.entries(lock.packages)
    .filter(([key, entry]) => key.startsWith("node_modules/") && !entry.dev)
    .map(([key]) => key);
}

export default function setup(project: TestProject) {
  const distDir = process.env.NEXT_DIST_DIR || ".next";
  for (const artefact of [path.join(distDir, "BUILD_ID"), "dist/start.js", "dist/worker.js"]) {
    if (!existsSync(path.join(REPO_ROOT, artefact))) throw new Error(`${artefact} fehlt: zuerst \`npm run build\` ausführen (anderer Ordner: NEXT_DIST_DIR).`);
  }
  const root = mkdtempSync(path.join(os.tmpdir(), "manage-prod-install-"));
  for (const file of ["package.json", "package-lock.json", "next.config.mjs", "db/migrations", "dist"]) {
    cpSync(path.join(REPO_ROOT, file), path.join(root, file), { recursive: true });
  }
  cpSync(path.join(REPO_ROOT, distDir), path.join(root, distDir), { recursive: true, filter: (source) => !source.includes(`${path.sep}cache`) });

  const lock = JSON.parse(readFileSync(path.join(REPO_ROOT, "package-lock.json"), "utf8"));
  // Top-level entries only: a kept package's nested node_modules come along with it.
  const kept = productionPackages(lock).filter((key) => !key.slice("node_modules/".length).includes("node_modules/"));
  mkdirSync(path.join(root, "node_modules"), { recursive: true });
  const present = kept.filter((key) => existsSync(path.join(REPO_ROOT, key))); // optional packages of other platforms are absent
  for (const key of present) mkdirSync(path.dirname(path.join(root, key)), { recursive: true });
  const linked = spawnSync("cp", ["-al", "--parents", ...present, root], { cwd: REPO_ROOT, encoding: "utf8" });
  if (linked.status !== 0) throw new Error(`node_modules für die Produktionsinstallation: ${linked.stderr}`);

  project.provide("prodRoot", root);
  return () => {
    if (process.env.KEEP_PROD_LOGS) console.log(`Produktionsinstallation: ${root}`);
    else rmSync(root, { recursive: true, force: true });
  };
}
