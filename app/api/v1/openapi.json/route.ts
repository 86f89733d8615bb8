import { NextResponse } from "next/server";
import { openApiDocument } from "@/lib/doors/v1/openapi";
import { v1Public } from "@/lib/doors/v1/route";

export const GET = v1Public(async () => NextResponse.json(openApiDocument()));
