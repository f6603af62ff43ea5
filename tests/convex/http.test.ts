import { afterEach, describe, expect, it, vi } from "vitest";
import { Webhook } from "svix";
import { newTest } from "./helpers";

// A syntactically valid svix secret (base64 key after the prefix); test-only.
const SECRET = `whsec_${btoa("local-test-secret-0123456789abcdef")}`;
const ISSUER = "https://clerk.example.test";

function signedRequest(payload: string, secret = SECRET): RequestInit {
  const id = "msg_test_1";
  const now = new Date();
  const signature = new Webhook(secret).sign(id, now, payload);
  return {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "svix-id": id,
      "svix-timestamp": String(Math.floor(now.getTime() / 1000)),
      "svix-signature": signature,
    },
    body: payload,
  };
}

const userCreated = JSON.stringify({
  type: "user.created",
  data: {
    id: "user_abc",
    first_name: "Clara",
    last_name: "Clerk",
    email_addresses: [{ email_address: "clara@example.test" }],
    image_url: "https://img.example.test/clara.png",
  },
});

describe("POST /clerk/webhook", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("is 404 when CLERK_WEBHOOK_SECRET is not set", async () => {
    vi.stubEnv("CLERK_WEBHOOK_SECRET", "");
    const t = newTest();
    const response = await t.fetch("/clerk/webhook", signedRequest(userCreated));
    expect(response.status).toBe(404);
  });

  it("is 400 on a bad signature and writes nothing", async () => {
    vi.stubEnv("CLERK_WEBHOOK_SECRET", SECRET);
    const t = newTest();
    const forged = signedRequest(userCreated, `whsec_${btoa("some-other-secret-0123456789abcd")}`);
    expect((await t.fetch("/clerk/webhook", forged)).status).toBe(400);
    expect((await t.fetch("/clerk/webhook", { method: "POST", body: userCreated })).status).toBe(400);
    const tampered = signedRequest(userCreated);
    tampered.body = userCreated.replace("Clara", "Mallory");
    expect((await t.fetch("/clerk/webhook", tampered)).status).toBe(400);
    expect(await t.run(async (ctx) => ctx.db.query("users").collect())).toHaveLength(0);
  });

  it("creates, then updates, the user on verified user.created / user.updated events", async () => {
    vi.stubEnv("CLERK_WEBHOOK_SECRET", SECRET);
    vi.stubEnv("CLERK_JWT_ISSUER_DOMAIN", ISSUER);
    const t = newTest();
    expect((await t.fetch("/clerk/webhook", signedRequest(userCreated))).status).toBe(200);
    let users = await t.run(async (ctx) => ctx.db.query("users").collect());
    expect(users).toHaveLength(1);
    expect(users[0]).toMatchObject({
      tokenIdentifier: `${ISSUER}|user_abc`,
      name: "Clara Clerk",
      email: "clara@example.test",
      role: "client",
      status: "active",
    });

    const updated = userCreated.replace("user.created", "user.updated").replace("Clerk", "Smith");
    expect((await t.fetch("/clerk/webhook", signedRequest(updated))).status).toBe(200);
    users = await t.run(async (ctx) => ctx.db.query("users").collect());
    expect(users).toHaveLength(1);
    expect(users[0]!.name).toBe("Clara Smith");
  });

  it("acknowledges other verified events without writing", async () => {
    vi.stubEnv("CLERK_WEBHOOK_SECRET", SECRET);
    const t = newTest();
    const other = JSON.stringify({ type: "session.created", data: { id: "sess_1" } });
    expect((await t.fetch("/clerk/webhook", signedRequest(other))).status).toBe(200);
    expect(await t.run(async (ctx) => ctx.db.query("users").collect())).toHaveLength(0);
  });

  it("only accepts POST", async () => {
    vi.stubEnv("CLERK_WEBHOOK_SECRET", SECRET);
    const t = newTest();
    const response = await t.fetch("/clerk/webhook", { method: "GET" });
    expect(response.status).toBe(404);
  });
});
