import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  posts: defineTable({ author: v.string(), body: v.string() }).index("by_author", ["author"]),
});
