CREATE TABLE "refusal_tallies" (
	"kind" text NOT NULL,
	"address" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"throttled" boolean NOT NULL,
	"detail" text NOT NULL,
	"total" integer NOT NULL,
	"unrecorded" integer NOT NULL,
	"first_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "refusal_tallies_kind_address_window_start_throttled_detail_pk" PRIMARY KEY("kind","address","window_start","throttled","detail")
);
--> statement-breakpoint
CREATE INDEX "refusal_tallies_window_idx" ON "refusal_tallies" USING btree ("window_start");