import { NextResponse } from "next/server";
import { userActor } from "@/lib/activity";
import { parseJsonBody, parseQuery } from "@/lib/http/body";
import { staffRoute } from "@/lib/doors/manage/route";
import { createCollectionFile, listCollectionFiles, previewCollection } from "@/lib/payments/collection";
import { collectionFileBody, collectionQuery } from "@/lib/payments/sepa-schemas";

/** Staff: the created pain.008 files and, with `collection_date`, what a file for that date would collect. */
export const GET = staffRoute({ permission: "invoice.read" }, async ({ req }) => {
  const query = parseQuery(req, collectionQuery);
  return { ...(await listCollectionFiles()), preview: query.collection_date ? await previewCollection(query.collection_date) : null };
});

/** Staff: creates (and stores) the pain.008.001.08 file for one collection date. */
export const POST = staffRoute({ permission: "invoice.write" }, async ({ req, ip, auth }) => {
  const body = await parseJsonBody(req, collectionFileBody);
  const result = await createCollectionFile(userActor(auth.principal, ip), { collectionDate: body.collection_date });
  return NextResponse.json({ message: "Lastschriftdatei erstellt", ...result }, { status: 201 });
});
