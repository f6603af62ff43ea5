import "server-only";
import { NextResponse } from "next/server";
import { LocalServiceInProductionError } from "@/lib/config";
import { jsonError } from "./api";

/** Local sign-in endpoints answer 503 with the reason when the stand-in is refused (production). */
export async function localAuthRoute(run: () => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof LocalServiceInProductionError) return jsonError("UNAVAILABLE", error.message);
    console.error(error);
    return NextResponse.json({ error: { code: "INTERNAL", message: "Sign-in failed." } }, { status: 500 });
  }
}
