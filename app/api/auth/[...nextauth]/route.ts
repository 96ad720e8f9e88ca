import { handlers } from "@/lib/identity/auth";

// next-auth's own endpoints (CSRF token, sign-in callback, sign-out). Sign-in and sign-out run
// the identity commands from inside next-auth, so these writes are audited too.
export const { GET, POST } = handlers;
