import { NextResponse } from "next/server";
import { AUTH_COOKIE, SESSION_ENDED_COOKIE } from "@/lib/localAuth";

export async function POST() {
  const response = NextResponse.json({ ok: true });
  response.cookies.delete(AUTH_COOKIE);
  response.cookies.delete(SESSION_ENDED_COOKIE);
  return response;
}
