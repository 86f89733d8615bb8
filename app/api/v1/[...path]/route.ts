import { NextResponse } from "next/server";

/** Unknown v1 endpoints answer in the v1 error shape. */
function notFound() {
  return NextResponse.json({ detail: { error: "not_found", message: "Diesen Endpunkt gibt es nicht." } }, { status: 404 });
}

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
