/**
 * The README's integrator example (examples/integrator.ts) compiles against
 * types freshly generated from the published document and runs: login →
 * server status → invoices → the invoice as PDF → a webhook verified with the
 * endpoint's secret.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { users } from "@/db/schema";
import { DEMO_PASSWORD } from "@/db/seed";
import { userActor } from "@/lib/activity";
import { resetConfigForTests } from "@/lib/config";
import { createWebhookEndpoint, deliverDueWebhooks, sendTestEvent } from "@/lib/webhooks";
import { generateApiTypes } from "@/scripts/openapi-write";
import { useTestDatabase } from "../helpers/db";
import { startApiServer } from "../openapi/api-server";
import { setTwoFactor } from "../v1/helpers";
import { startReceiver } from "./receiver";

const database = useTestDatabase();
let api: Awaited<ReturnType<typeof startApiServer>>;

/**
 * The example imports the generated types (not committed), so the project's
 * `tsc` must not follow it: loaded by a computed path, its types checked above.
 */
type Example = {
  latestInvoicePdf(baseUrl: string, email: string, password: string): Promise<{ hosts: unknown[]; invoice: { invoice_number: string | null } | null; pdf: Buffer | null }>;
  verifyWebhook(secret: string, body: string, headers: Record<string, string>): { type: string };
};
const loadExample = () => import(/* @vite-ignore */ path.join(process.cwd(), "examples", "integrator.ts")) as Promise<Example>;

beforeAll(async () => {
  process.env.WEBHOOKS_ALLOW_PRIVATE_TARGETS = "true";
  resetConfigForTests();
  await setTwoFactor("admin@firma.de", false);
  api = await startApiServer();
});
afterAll(async () => {
  await api?.close();
  delete process.env.WEBHOOKS_ALLOW_PRIVATE_TARGETS;
  resetConfigForTests();
});

describe("README: example for integrators", () => {
  it("type-checks against types generated from the current document", async () => {
    writeFileSync(path.join(process.cwd(), "examples", "api-types.d.ts"), await generateApiTypes());
    const file = path.join(process.cwd(), "examples", "integrator.ts");
    const options: ts.CompilerOptions = {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
      types: ["node"],
    };
    const diagnostics = ts.getPreEmitDiagnostics(ts.createProgram([file], options));
    expect(diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"))).toEqual([]);
  });

  it("runs: login → status → invoices → PDF download → verify a webhook signature", async () => {
    const { latestInvoicePdf, verifyWebhook } = await loadExample();
    const result = await latestInvoicePdf(api.url, "admin@firma.de", DEMO_PASSWORD);
    expect(result.hosts.length).toBeGreaterThan(0);
    expect(result.invoice?.invoice_number).toEqual(expect.any(String));
    expect(result.pdf!.subarray(0, 5).toString("latin1")).toBe("%PDF-");

    const receiver = await startReceiver();
    try {
      const [owner] = await database.db().select().from(users).where(eq(users.email, "admin@firma.de"));
      const actor = userActor({ userId: owner!.id, name: owner!.name, staff: false }, null);
      const { endpoint, secret } = await createWebhookEndpoint(actor, { scope: { instanceId: owner!.instanceId }, url: receiver.url, events: ["invoice.paid"] });
      await sendTestEvent(actor, { scope: { instanceId: owner!.instanceId }, id: endpoint.id });
      await deliverDueWebhooks();
      const [req] = receiver.received;
      const event = verifyWebhook(secret, req!.body, req!.headers as Record<string, string>);
      expect(event.type).toBe("webhook.test");
      expect(() => verifyWebhook(secret, req!.body.replace("Testereignis", "Fälschung"), req!.headers as Record<string, string>)).toThrow();
    } finally {
      await receiver.close();
    }
  });
});
