// Server-only: never import this from a client component, it pulls in a ~49k-word list.
import { dictionary } from "@zxcvbn-ts/language-common";

// NIST SP 800-63B / OWASP ASVS 5: length and a blocklist, no composition rules. Passwords are
// checked exactly as typed (no trimming, no Unicode normalization), the same way they are hashed.
const MIN_LENGTH = 8;
const MAX_LENGTH = 1024;

let commonPasswords: Set<string> | undefined;

function loadCommonPasswords(): Set<string> {
  commonPasswords ??= new Set(dictionary["passwords-common"]);
  return commonPasswords;
}

export function commonPasswordCount(): number {
  return loadCommonPasswords().size;
}

/**
 * Why a new password is refused, as a phrase that completes "Password ...", or null when it is
 * acceptable. Length is counted in Unicode code points, so an emoji counts as one character.
 */
export function checkNewPassword(password: string, context: { email?: string; name?: string } = {}): string | null {
  const length = [...password].length;
  if (length < MIN_LENGTH) return `must be at least ${MIN_LENGTH} characters`;
  if (length > MAX_LENGTH) return `must be at most ${MAX_LENGTH} characters`;

  // The list is lower case, so "PASSWORD1" is caught through its lower-cased form.
  const common = loadCommonPasswords();
  if (common.has(password) || common.has(password.toLowerCase())) {
    return "is one of the most common passwords; choose another";
  }

  const lowered = password.toLowerCase();
  const email = context.email?.trim().toLowerCase();
  if (email) {
    const localPart = email.includes("@") ? email.slice(0, email.lastIndexOf("@")) : email;
    if (lowered === email || lowered === localPart) return "must not be your email address";
  }
  const name = context.name?.trim().toLowerCase();
  if (name && lowered === name) return "must not be your name";
  return null;
}
