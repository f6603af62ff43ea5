import { jsonError } from "@/server/auth/api";

// Unknown API paths answer JSON, not the HTML 404 page.
const notFound = async () => jsonError("NOT_FOUND", "No such API route.");
export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
