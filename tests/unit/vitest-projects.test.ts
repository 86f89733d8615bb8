/**
 * Every test file that mocks a module runs isolated: the shared project would
 * silently run it against the real module (already loaded by an earlier file),
 * or hand its mock to the next file.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { MOCKING_MODULES } from "../isolated-files";
import { LONG_FILES } from "../long-files";

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "prod" && dir === "tests" ? [] : testFiles(file);
    return /\.test\.tsx?$/.test(entry.name) ? [file] : [];
  });
}

describe("vitest projects", () => {
  it("lists exactly the test files that vi.mock or vi.doMock a module as isolated", () => {
    const mocking = testFiles("tests").filter((file) => /\bvi\.(do)?[mM]ock\(/.test(readFileSync(file, "utf8")));
    expect(mocking.length).toBeGreaterThan(0);
    expect(mocking.sort()).toEqual([...MOCKING_MODULES].sort());
  });

  it("names only existing test files, each once, as the long files started first", () => {
    const files = new Set(testFiles("tests").map((file) => file.split(path.sep).join("/")));
    expect(LONG_FILES.filter((file) => !files.has(file))).toEqual([]);
    expect(new Set(LONG_FILES).size).toBe(LONG_FILES.length);
  });
});
