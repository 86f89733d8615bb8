/**
 * Setup file of the shared (non-isolated) test project: files of one worker share
 * their modules and their process, so whatever a file sets in `process.env`
 * (a stand-in's URL, a shorter retry delay, other JWT keys) is put back when the
 * file ends, and globals a file stubbed are unstubbed; the next file starts as if
 * it had the worker to itself. Module state keyed to the database (config, the
 * db handle) is reset by `useTestDatabase()`.
 */
import { afterAll, vi } from "vitest";

const saved = { ...process.env };

afterAll(() => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
  vi.useRealTimers();
});
