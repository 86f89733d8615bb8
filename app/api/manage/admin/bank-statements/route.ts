import { NextResponse } from "next/server";
import { userActor } from "@/lib/activity";
import { staffRoute } from "@/lib/doors/manage/route";
import { importBankStatement } from "@/lib/payments/import";
import { readStatementUpload } from "@/lib/doors/manage/statement-upload";

/** CAMT.053 upload (multipart field `file` or raw XML), ≤ 5 MB. */
export const POST = staffRoute({ permission: "invoice.write" }, async ({ req, auth, ip }) => {
  const { bytes, filename } = await readStatementUpload(req);
  return NextResponse.json(await importBankStatement(userActor(auth.principal, ip), { file: bytes, filename }), { status: 201 });
});
