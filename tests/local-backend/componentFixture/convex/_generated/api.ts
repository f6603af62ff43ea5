/* Hand-written stand-in for `npx convex codegen` output (untyped), with the components of convex.config.ts. */
import { anyApi, componentsGeneric } from "convex/server";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const api: any = anyApi;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const internal: any = anyApi;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const components: any = componentsGeneric();
