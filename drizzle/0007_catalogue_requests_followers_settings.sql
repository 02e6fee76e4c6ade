CREATE TABLE "catalogue"."settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid
);
--> statement-breakpoint
CREATE TABLE "catalogue"."request_followers" (
	"request_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "request_followers_request_id_account_id_pk" PRIMARY KEY("request_id","account_id")
);
--> statement-breakpoint
ALTER TABLE "catalogue"."request_followers" ADD CONSTRAINT "request_followers_request_id_dataset_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "catalogue"."dataset_requests"("id") ON DELETE cascade ON UPDATE no action;