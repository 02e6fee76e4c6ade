CREATE SCHEMA "catalogue";
--> statement-breakpoint
CREATE TABLE "catalogue"."daily_metrics" (
	"day" date NOT NULL,
	"dataset_id" uuid NOT NULL,
	"resource_id" uuid NOT NULL,
	"views" integer DEFAULT 0 NOT NULL,
	"downloads" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "daily_metrics_day_dataset_id_resource_id_pk" PRIMARY KEY("day","dataset_id","resource_id")
);
--> statement-breakpoint
CREATE TABLE "catalogue"."data_standards" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"version" text NOT NULL,
	"title" jsonb NOT NULL,
	"description" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"schema" jsonb NOT NULL,
	"organization_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid
);
--> statement-breakpoint
CREATE TABLE "catalogue"."dataset_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"locale" text NOT NULL,
	"requester_id" uuid,
	"organization_id" uuid,
	"status" text DEFAULT 'received' NOT NULL,
	"status_note" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"dataset_id" uuid,
	"votes" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "catalogue"."dataset_versions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"dataset_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"actor_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"metadata" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "catalogue"."datasets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"title" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"description" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"keywords" jsonb DEFAULT '{"en":[],"fr":[]}'::jsonb NOT NULL,
	"organization_id" uuid NOT NULL,
	"organization" jsonb NOT NULL,
	"groups" text[] DEFAULT '{}'::text[] NOT NULL,
	"licence_id" text,
	"access_level" text DEFAULT 'open' NOT NULL,
	"exemption_reason" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"state" text DEFAULT 'draft' NOT NULL,
	"contact" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"update_frequency" text,
	"temporal_start" date,
	"temporal_end" date,
	"spatial" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"formats" text[] DEFAULT '{}'::text[] NOT NULL,
	"harvest_source_id" uuid,
	"source_identifier" text,
	"quality" jsonb,
	"quality_score" integer DEFAULT 0 NOT NULL,
	"search" "tsvector",
	"search_text" text DEFAULT '' NOT NULL,
	"views" integer DEFAULT 0 NOT NULL,
	"downloads" integer DEFAULT 0 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"modified_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	"created_by" uuid,
	"modified_by" uuid,
	CONSTRAINT "datasets_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "catalogue"."groups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"title" jsonb NOT NULL,
	"description" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "groups_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "catalogue"."harvest_sources" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"title" jsonb NOT NULL,
	"kind" text NOT NULL,
	"url" text NOT NULL,
	"organization_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"last_job_id" uuid,
	"last_report" jsonb,
	"last_run_at" timestamp with time zone,
	CONSTRAINT "harvest_sources_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "catalogue"."licences" (
	"id" text PRIMARY KEY NOT NULL,
	"title" jsonb NOT NULL,
	"url" jsonb NOT NULL,
	"open" boolean DEFAULT true NOT NULL,
	"position" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "catalogue"."request_votes" (
	"request_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "request_votes_request_id_account_id_pk" PRIMARY KEY("request_id","account_id")
);
--> statement-breakpoint
CREATE TABLE "catalogue"."resources" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"dataset_id" uuid NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"name" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"description" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"kind" text NOT NULL,
	"url" text,
	"file_key" text,
	"file_name" text,
	"format" text DEFAULT '' NOT NULL,
	"media_type" text,
	"size" bigint,
	"sha256" text,
	"table_schema" jsonb,
	"standard_id" uuid,
	"datastore_table" text,
	"datastore_rows" bigint,
	"load_status" text DEFAULT 'none' NOT NULL,
	"load_job_id" uuid,
	"loaded_at" timestamp with time zone,
	"validation" jsonb,
	"source_identifier" text,
	"views" integer DEFAULT 0 NOT NULL,
	"downloads" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"modified_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "catalogue"."vocabulary" (
	"word" text PRIMARY KEY NOT NULL,
	"uses" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "catalogue"."dataset_requests" ADD CONSTRAINT "dataset_requests_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "catalogue"."datasets"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalogue"."dataset_versions" ADD CONSTRAINT "dataset_versions_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "catalogue"."datasets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalogue"."datasets" ADD CONSTRAINT "datasets_licence_id_licences_id_fk" FOREIGN KEY ("licence_id") REFERENCES "catalogue"."licences"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalogue"."datasets" ADD CONSTRAINT "datasets_harvest_source_id_harvest_sources_id_fk" FOREIGN KEY ("harvest_source_id") REFERENCES "catalogue"."harvest_sources"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalogue"."request_votes" ADD CONSTRAINT "request_votes_request_id_dataset_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "catalogue"."dataset_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalogue"."resources" ADD CONSTRAINT "resources_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "catalogue"."datasets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalogue"."resources" ADD CONSTRAINT "resources_standard_id_data_standards_id_fk" FOREIGN KEY ("standard_id") REFERENCES "catalogue"."data_standards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "data_standards_name_version_idx" ON "catalogue"."data_standards" USING btree ("name","version");--> statement-breakpoint
CREATE INDEX "dataset_requests_votes_idx" ON "catalogue"."dataset_requests" USING btree ("votes","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "dataset_versions_idx" ON "catalogue"."dataset_versions" USING btree ("dataset_id","version");--> statement-breakpoint
CREATE INDEX "datasets_search_idx" ON "catalogue"."datasets" USING gin ("search");--> statement-breakpoint
CREATE INDEX "datasets_search_text_trgm_idx" ON "catalogue"."datasets" USING gin ("search_text" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "datasets_org_idx" ON "catalogue"."datasets" USING btree ("organization_id");--> statement-breakpoint
CREATE INDEX "datasets_state_modified_idx" ON "catalogue"."datasets" USING btree ("state","modified_at");--> statement-breakpoint
CREATE INDEX "datasets_groups_idx" ON "catalogue"."datasets" USING gin ("groups");--> statement-breakpoint
CREATE INDEX "datasets_formats_idx" ON "catalogue"."datasets" USING gin ("formats");--> statement-breakpoint
CREATE UNIQUE INDEX "datasets_source_idx" ON "catalogue"."datasets" USING btree ("harvest_source_id","source_identifier");--> statement-breakpoint
CREATE INDEX "resources_dataset_idx" ON "catalogue"."resources" USING btree ("dataset_id","position");--> statement-breakpoint
CREATE INDEX "vocabulary_trgm_idx" ON "catalogue"."vocabulary" USING gin ("word" gin_trgm_ops);