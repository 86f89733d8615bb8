import { NextResponse } from "next/server";
import { userActor } from "@/lib/activity";
import { staffRoute } from "@/lib/doors/manage/route";
import { importBankStatement } from "@/lib/payments/import";
import { readStatementUpload } from "@/lib/payments/upload";

/** CAMT.053 upload (multipart field `file` or raw XML), ≤ 5 MB. */
export const POST = staffRoute({ permission: "invoice.write" }, async ({ req, auth, ip }) => {
  const { bytes, filename } = await readStatementUpload(req);
  return NextResponse.json(await importBankStatement(bytes, filename, userActor(auth.principal, ip)), { status: 201 });
});
