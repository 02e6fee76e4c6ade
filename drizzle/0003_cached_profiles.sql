ALTER TABLE "kernel"."api_tokens" ADD COLUMN "profile" jsonb;--> statement-breakpoint
ALTER TABLE "kernel"."api_tokens" ADD COLUMN "profile_epoch" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "kernel"."sessions" ADD COLUMN "profile" jsonb;--> statement-breakpoint
ALTER TABLE "kernel"."sessions" ADD COLUMN "profile_epoch" integer DEFAULT 0 NOT NULL;