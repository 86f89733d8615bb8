import { z } from "@/lib/validation";

const domainField = z
  .string({ error: "Bitte einen Hostnamen angeben." })
  .max(1000, { error: "Der Hostname ist zu lang (höchstens 253 Zeichen)." });

/** PUT /domains/custom-* */
export const setDomainBody = z.object({ domain: domainField });

/** POST /domains/check-cname; `kind` selects the expected target (default: portal). */
export const domainBody = z.object({
  domain: domainField,
  kind: z.enum(["portal", "meshcentral"], { error: "Art muss „portal“ oder „meshcentral“ sein." }).optional(),
});
