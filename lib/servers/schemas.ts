import { z } from "@/lib/validation";

/** Body of a server action (power-off may be forced); the manage API and the staff's instance view parse it. */
export const serverActionBody = z.object({ force: z.boolean({ error: "force muss true oder false sein." }).optional() }).strict();
