-- A channel's documents over a time window: the Intake page's throughput chart (hourly buckets of
-- the last 24 hours, lib/intake/process/list-channel-throughput.ts) and its health counts read a
-- range of this index per channel instead of every document the channel ever had. INCLUDE (status,
-- org_id), which the schema builder cannot say: the chart groups by status and row-level
-- security's policy reads org_id, so the window is counted on the index alone.
CREATE INDEX "intake_documents_channel_created_idx" ON "intake_documents" USING btree ("channel_id","created_at") INCLUDE ("status","org_id");
