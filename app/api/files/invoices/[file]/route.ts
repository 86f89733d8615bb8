import { filesRoute, signedInvoicePdf } from "@/lib/doors/files/route";

export const GET = filesRoute(async (req, params) => signedInvoicePdf(req, params));
