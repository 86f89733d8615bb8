import { staffRoute } from "@/lib/doors/manage/route";
import { fileResponse } from "@/lib/doors/kit/files";
import { intIdParam } from "@/lib/http/params";
import { collectionFileXml } from "@/lib/payments/collection";

/** Staff: the stored pain.008 file, as created, for upload to the bank. */
export const GET = staffRoute({ permission: "invoice.read" }, async ({ params }) => {
  const file = await collectionFileXml(intIdParam(params, "id", "Lastschriftdatei nicht gefunden."));
  return fileResponse({ filename: file.filename, contentType: "application/xml", body: file.bytes });
});
