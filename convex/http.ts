import { httpRouter } from "convex/server";
import { Webhook } from "svix";
import { httpAction, internalMutation } from "./functions";
import { internal } from "./_generated/api";
import { env, type ActionCtx } from "./_generated/server";
import type { Id } from "./_generated/dataModel";
import { v } from "convex/values";
import { upsertFromIdentity } from "./model/users";

const http = httpRouter();

/** Clerk user sync (Clerk mode): verified with svix on the raw body. */
http.route({
  path: "/clerk/webhook",
  method: "POST",
  handler: httpAction(async (ctx, request) => {
    const secret = env.CLERK_WEBHOOK_SECRET;
    if (!secret) return new Response("Clerk webhook not configured", { status: 404 });
    const payload = await request.text();
    let event: { type: string; data: Record<string, unknown> };
    try {
      event = new Webhook(secret).verify(payload, {
        "svix-id": request.headers.get("svix-id") ?? "",
        "svix-timestamp": request.headers.get("svix-timestamp") ?? "",
        "svix-signature": request.headers.get("svix-signature") ?? "",
      }) as typeof event;
    } catch {
      return new Response("Invalid signature", { status: 400 });
    }
    if (event.type === "user.created" || event.type === "user.updated") {
      const data = event.data as {
        id: string;
        first_name?: string | null;
        last_name?: string | null;
        email_addresses?: { email_address: string }[];
        image_url?: string;
      };
      await ctx.runMutation(internal.http.syncClerkUser, {
        subject: data.id,
        name: [data.first_name, data.last_name].filter(Boolean).join(" ") || "New user",
        email: data.email_addresses?.[0]?.email_address ?? "",
        pictureUrl: data.image_url,
      });
    }
    return new Response(null, { status: 200 });
  }),
});

/**
 * A private verification document's bytes, for its owner or an admin (Authorization: Bearer <Convex token>).
 * Checked on every request, never cached: access ends as soon as the role or status changes.
 */
http.route({
  path: "/documents/file",
  method: "GET",
  handler: httpAction(async (ctx, request) => {
    const documentId = new URL(request.url).searchParams.get("id") ?? "";
    const access = await ctx.runQuery(internal.documents.documentForViewer, { documentId });
    return await privateFile(ctx, access, "inline");
  }),
});

/** A finished margin export's CSV, for admins only (Authorization: Bearer <Convex token>), checked on every request. */
http.route({
  path: "/exports/margin",
  method: "GET",
  handler: httpAction(async (ctx, request) => {
    const exportId = new URL(request.url).searchParams.get("id") ?? "";
    const access = await ctx.runQuery(internal.marginExports.fileForViewer, { exportId });
    return await privateFile(ctx, access, "attachment");
  }),
});

type FileAccess =
  | { ok: true; storageId: Id<"_storage">; fileName: string; contentType: string }
  | { ok: false; status: number; message: string };

/** A stored file's bytes for a caller the access check let through, never cached; else the check's answer. */
async function privateFile(ctx: ActionCtx, access: FileAccess, disposition: "inline" | "attachment") {
  const privateHeaders = { "cache-control": "private, no-store", "x-content-type-options": "nosniff" };
  if (!access.ok)
    return new Response(access.message, {
      status: access.status,
      headers: { ...privateHeaders, "content-type": "text/plain" },
    });
  const blob = await ctx.storage.get(access.storageId);
  if (blob === null) return new Response("The file is no longer stored.", { status: 404, headers: privateHeaders });
  const fileName = access.fileName.replace(/[^\w.\- ]/g, "_");
  return new Response(blob, {
    status: 200,
    headers: {
      ...privateHeaders,
      "content-type": access.contentType || "application/octet-stream",
      "content-disposition": `${disposition}; filename="${fileName}"`,
      "content-security-policy": "default-src 'none'; sandbox",
    },
  });
}

/**
 * Stripe webhooks (Stripe, or the local processor): the raw body and Stripe-Signature header go to a Node
 * action that verifies them with constructEventAsync and applies the event once (convex/stripeNode.ts).
 */
http.route({
  path: "/stripe/webhook",
  method: "POST",
  handler: httpAction(async (ctx, request) => {
    const signature = request.headers.get("stripe-signature");
    if (!signature) return new Response("Missing Stripe-Signature", { status: 400 });
    const payload = await request.text();
    const { status, body } = await ctx.runAction(internal.stripeNode.receiveWebhook, { payload, signature });
    return new Response(body, {
      status,
      headers: { "content-type": status === 200 ? "application/json" : "text/plain" },
    });
  }),
});

export const syncClerkUser = internalMutation({
  args: { subject: v.string(), name: v.string(), email: v.string(), pictureUrl: v.optional(v.string()) },
  handler: async (ctx, args) => {
    const issuer = env.CLERK_JWT_ISSUER_DOMAIN ?? "";
    await upsertFromIdentity(ctx, {
      tokenIdentifier: `${issuer}|${args.subject}`,
      subject: args.subject,
      issuer,
      name: args.name,
      email: args.email,
      pictureUrl: args.pictureUrl,
    });
  },
});

export default http;
