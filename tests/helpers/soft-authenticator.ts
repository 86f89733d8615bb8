import { createHash, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { isoCBOR } from "@simplewebauthn/server/helpers";

/** A minimal software authenticator (ES256, "none" attestation, discoverable credential). */
export class SoftAuthenticator {
  private readonly keys = generateKeyPairSync("ec", { namedCurve: "P-256" });
  readonly credentialId = Buffer.from(`soft-${Math.random()}`).toString("base64url");
  private counter = 0;
  constructor(private readonly rpId: string, private readonly origin: string) {}

  private authData(flags: number, attested?: Buffer) {
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(++this.counter);
    const rpHash = createHash("sha256").update(this.rpId).digest();
    return Buffer.concat([rpHash, Buffer.from([flags]), counter, attested ?? Buffer.alloc(0)]);
  }

  private cose() {
    const jwk = (this.keys.publicKey as KeyObject).export({ format: "jwk" });
    return Buffer.from(
      isoCBOR.encode(
        new Map<number, number | Uint8Array>([
          [1, 2],
          [3, -7],
          [-1, 1],
          [-2, Buffer.from(jwk.x!, "base64url")],
          [-3, Buffer.from(jwk.y!, "base64url")],
        ]),
      ),
    );
  }

  create(challenge: string) {
    const id = Buffer.from(this.credentialId, "base64url");
    const len = Buffer.alloc(2);
    len.writeUInt16BE(id.length);
    const attested = Buffer.concat([Buffer.alloc(16), len, id, this.cose()]);
    const authData = this.authData(0x45, attested); // UP | UV | AT
    const clientDataJSON = Buffer.from(JSON.stringify({ type: "webauthn.create", challenge, origin: this.origin }));
    const attestationObject = Buffer.from(isoCBOR.encode(new Map<string, unknown>([["fmt", "none"], ["attStmt", new Map()], ["authData", authData]]) as never));
    return {
      id: this.credentialId,
      rawId: this.credentialId,
      type: "public-key" as const,
      clientExtensionResults: {},
      response: { clientDataJSON: clientDataJSON.toString("base64url"), attestationObject: attestationObject.toString("base64url"), transports: ["internal"] },
    };
  }

  get(challenge: string) {
    const authData = this.authData(0x05);
    const clientDataJSON = Buffer.from(JSON.stringify({ type: "webauthn.get", challenge, origin: this.origin }));
    const signature = sign("sha256", Buffer.concat([authData, createHash("sha256").update(clientDataJSON).digest()]), this.keys.privateKey);
    return {
      id: this.credentialId,
      rawId: this.credentialId,
      type: "public-key" as const,
      clientExtensionResults: {},
      response: { clientDataJSON: clientDataJSON.toString("base64url"), authenticatorData: authData.toString("base64url"), signature: signature.toString("base64url") },
    };
  }
}
