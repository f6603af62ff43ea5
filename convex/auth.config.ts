// Auth providers, read by a Convex deployment (and by the local backend) at start.
// Clerk when CLERK_JWT_ISSUER_DOMAIN is set; the local sign-in stand-in when
// LOCAL_AUTH_JWKS (an inline data: URI JWKS written by the dev script) is set.
// The issuer string equals LOCAL_AUTH_ISSUER in lib/localAuth.ts (a unit test checks).
const providers: Array<Record<string, string>> = [];

if (process.env.CLERK_JWT_ISSUER_DOMAIN) {
  providers.push({ domain: process.env.CLERK_JWT_ISSUER_DOMAIN, applicationID: "convex" });
}

if (process.env.LOCAL_AUTH_JWKS) {
  providers.push({
    type: "customJwt",
    issuer: "urn:advisor-marketplace:local-auth",
    jwks: process.env.LOCAL_AUTH_JWKS,
    algorithm: "RS256",
    applicationID: "convex",
  });
}

const authConfig = { providers };

export default authConfig;
