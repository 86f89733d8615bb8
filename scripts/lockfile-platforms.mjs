/**
 * The npm registry reachable here serves only Linux builds of platform-specific
 * optional packages (@next/swc-*, @tailwindcss/oxide-*, …). npm then leaves
 * those of other platforms out of package-lock.json, and `npm ci` refuses the
 * lock as out of sync. This adds the missing optional entries (never installed
 * on Linux: npm skips them by their os/cpu fields) so `npm ci` works.
 * Run after every `npm install`: node scripts/lockfile-platforms.mjs
 */
import { readFileSync, writeFileSync } from "node:fs";

const lock = JSON.parse(readFileSync("package-lock.json", "utf8"));
const packages = lock.packages;
const platform = (name) => {
  const n = name.toLowerCase();
  const os = /darwin/.test(n) ? "darwin" : /win32/.test(n) ? "win32" : /android/.test(n) ? "android" : /freebsd/.test(n) ? "freebsd" : /linux/.test(n) ? "linux" : /wasm/.test(n) ? null : null;
  const cpu = /arm64|aarch64/.test(n) ? "arm64" : /x64|x86_64/.test(n) ? "x64" : /arm/.test(n) ? "arm" : /ia32/.test(n) ? "ia32" : /wasm32/.test(n) ? "wasm32" : null;
  return { os, cpu };
};
let added = 0;
for (const [path, meta] of Object.entries(packages)) {
  for (const [dep, version] of Object.entries(meta.optionalDependencies ?? {})) {
    const base = path === "" ? "" : `${path}/`;
    const candidates = [`${base}node_modules/${dep}`, `node_modules/${dep}`];
    if (candidates.some((c) => packages[c])) continue;
    const { os, cpu } = platform(dep);
    const entry = { version, optional: true };
    if (os) entry.os = [os];
    if (cpu) entry.cpu = [cpu];
    if (!os && !cpu) entry.cpu = ["wasm32"];
    packages[`node_modules/${dep}`] = entry;
    added++;
  }
}
writeFileSync("package-lock.json", `${JSON.stringify(lock, null, 2)}\n`);
console.log(`lockfile-platforms: ${added} fehlende optionale Plattform-Pakete eingetragen.`);
