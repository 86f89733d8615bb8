import { NextResponse } from "next/server";

/** Unknown endpoints of the manage API answer in its own JSON error shape. */
function notFound() {
  return NextResponse.json({ message: "Diesen Endpunkt gibt es nicht." }, { status: 404 });
}

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
