/** The invitation page for a link's token, as a same-site path (for sign-in's callbackUrl). */
export function invitationPath(token: string): string {
  return `/invitation?token=${encodeURIComponent(token)}`;
}
