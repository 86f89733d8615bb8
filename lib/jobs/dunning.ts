/** The `dunning` job: daily after the billing run; repeating it mails nothing twice (see lib/dunning/run.ts). */
import type { JobDefinition } from "./definition";
import { runDunning } from "@/lib/dunning/run";

export const dunningJob = {
  name: "dunning",
  schedule: "30 6 * * *",
  handler: async () => runDunning(),
  retryLimit: 5,
  retryBackoff: true,
  retryDelay: 60,
  expireInSeconds: 30 * 60,
} satisfies JobDefinition;
