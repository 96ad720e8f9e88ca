import { eq } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { intakeChannels } from "@/db/schema";
import { withTenantScope } from "@/db/tenant-scope";

export interface AcceptingChannel {
  id: string;
  orgId: string;
  name: string;
  format: (typeof intakeChannels.$inferSelect)["format"];
  tokenHash: string;
  secretSealed: string | null;
  maxBodyBytes: number;
  maxDepth: number;
}

/**
 * The channel a POST names, if it is active. This is the authentication step (like reading an
 * API token): nobody is known yet, so it looks across orgs, reads one row by primary key and
 * returns only what the checks need. Disabled and missing look the same (404).
 */
export async function findAcceptingChannel(channelId: string, db: Db = getDb()): Promise<AcceptingChannel | null> {
  const [row] = await withTenantScope({ orgId: null, userId: null, bypass: true }, (tx) =>
    tx
      .select({
        id: intakeChannels.id,
        orgId: intakeChannels.orgId,
        name: intakeChannels.name,
        format: intakeChannels.format,
        tokenHash: intakeChannels.tokenHash,
        secretSealed: intakeChannels.secretSealed,
        maxBodyBytes: intakeChannels.maxBodyBytes,
        maxDepth: intakeChannels.maxDepth,
        status: intakeChannels.status,
      })
      .from(intakeChannels)
      .where(eq(intakeChannels.id, channelId)),
    db,
  );
  if (!row || row.status !== "active") return null;
  return { id: row.id, orgId: row.orgId, name: row.name, format: row.format, tokenHash: row.tokenHash, secretSealed: row.secretSealed, maxBodyBytes: row.maxBodyBytes, maxDepth: row.maxDepth };
}
