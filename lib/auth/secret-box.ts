/** TOTP secrets sealed at rest (the server needs them to compute codes): lib/crypto/secret-box.ts. */
import { open, seal } from "@/lib/crypto/secret-box";

export const sealSecret = (plain: string) => seal("totp-secret", plain);
export const openSecret = (sealed: string) => open("totp-secret", sealed);
