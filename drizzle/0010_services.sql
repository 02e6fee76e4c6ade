CREATE SCHEMA "services";
--> statement-breakpoint
CREATE TABLE "services"."assessments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"service_id" uuid NOT NULL,
	"point_id" text NOT NULL,
	"rating" text NOT NULL,
	"evidence" text,
	"assessor_id" uuid,
	"assessor_name" text,
	"assessed_on" date NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "services"."costs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"service_id" uuid NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"channel" text NOT NULL,
	"amount" numeric(16, 2) NOT NULL,
	"entered_by" uuid,
	"entered_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "services"."count_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"service_id" uuid NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"channel" text NOT NULL,
	"started" bigint,
	"completed" bigint,
	"missing" text,
	"source" text,
	"reported_by" uuid,
	"reported_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "services"."daily_ratings" (
	"service_id" uuid NOT NULL,
	"day" date NOT NULL,
	"rating" smallint NOT NULL,
	"responses" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "daily_ratings_service_id_day_rating_pk" PRIMARY KEY("service_id","day","rating")
);
--> statement-breakpoint
CREATE TABLE "services"."daily_volumes" (
	"service_id" uuid NOT NULL,
	"day" date NOT NULL,
	"channel" text NOT NULL,
	"started" bigint DEFAULT 0 NOT NULL,
	"completed" bigint DEFAULT 0 NOT NULL,
	"approved" bigint DEFAULT 0 NOT NULL,
	"denied" bigint DEFAULT 0 NOT NULL,
	"ineligible" bigint DEFAULT 0 NOT NULL,
	"other_outcome" bigint DEFAULT 0 NOT NULL,
	"abandoned" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "daily_volumes_service_id_day_channel_pk" PRIMARY KEY("service_id","day","channel")
);
--> statement-breakpoint
CREATE TABLE "services"."events" (
	"service_id" uuid NOT NULL,
	"event_id" text NOT NULL,
	"reference" text NOT NULL,
	"type" text NOT NULL,
	"step" text,
	"outcome" text,
	"channel" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "events_service_id_event_id_pk" PRIMARY KEY("service_id","event_id")
);
--> statement-breakpoint
CREATE TABLE "services"."feedback" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"service_id" uuid NOT NULL,
	"reference" text,
	"satisfaction" smallint,
	"achieved" text,
	"comment" text,
	"locale" text NOT NULL,
	"tags" text[] DEFAULT '{}' NOT NULL,
	"actioned" boolean DEFAULT false NOT NULL,
	"actioned_at" timestamp with time zone,
	"actioned_by" uuid,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "services"."improvements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"service_id" uuid NOT NULL,
	"you_said" jsonb NOT NULL,
	"we_did" jsonb NOT NULL,
	"published_on" date NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "services"."page_feedback" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"path" text NOT NULL,
	"found" boolean NOT NULL,
	"comment" text,
	"locale" text NOT NULL,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "services"."services" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"organization_id" uuid NOT NULL,
	"name" jsonb NOT NULL,
	"description" jsonb NOT NULL,
	"program_code" text,
	"program_name" jsonb,
	"service_types" text[] DEFAULT '{}' NOT NULL,
	"client_types" text[] DEFAULT '{}' NOT NULL,
	"channels" text[] DEFAULT '{}' NOT NULL,
	"online_enablement" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"charges_fee" boolean,
	"fee_description" jsonb,
	"url" jsonb,
	"status" text DEFAULT 'active' NOT NULL,
	"source" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "services"."settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "services"."standard_points" (
	"id" text PRIMARY KEY NOT NULL,
	"position" integer NOT NULL,
	"title" jsonb NOT NULL,
	"description" jsonb NOT NULL,
	"active" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE TABLE "services"."standard_results" (
	"standard_id" uuid NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"volume_meeting_target" bigint,
	"total_volume" bigint,
	"reported_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "standard_results_standard_id_period_start_period_end_pk" PRIMARY KEY("standard_id","period_start","period_end")
);
--> statement-breakpoint
CREATE TABLE "services"."standards" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"service_id" uuid NOT NULL,
	"code" text,
	"name" jsonb NOT NULL,
	"type" text NOT NULL,
	"channel" text,
	"target" numeric(5, 4),
	"url" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "assessments_service_idx" ON "services"."assessments" USING btree ("service_id","point_id","recorded_at");--> statement-breakpoint
CREATE UNIQUE INDEX "costs_period_idx" ON "services"."costs" USING btree ("service_id","period_start","period_end","channel");--> statement-breakpoint
CREATE UNIQUE INDEX "count_reports_period_idx" ON "services"."count_reports" USING btree ("service_id","period_start","period_end","channel");--> statement-breakpoint
CREATE INDEX "count_reports_start_idx" ON "services"."count_reports" USING btree ("period_start");--> statement-breakpoint
CREATE INDEX "daily_ratings_day_idx" ON "services"."daily_ratings" USING btree ("day");--> statement-breakpoint
CREATE INDEX "daily_volumes_day_idx" ON "services"."daily_volumes" USING btree ("day");--> statement-breakpoint
CREATE INDEX "events_reference_idx" ON "services"."events" USING btree ("service_id","reference");--> statement-breakpoint
CREATE INDEX "events_time_idx" ON "services"."events" USING btree ("service_id","occurred_at");--> statement-breakpoint
CREATE UNIQUE INDEX "feedback_reference_idx" ON "services"."feedback" USING btree ("service_id","reference");--> statement-breakpoint
CREATE INDEX "feedback_service_time_idx" ON "services"."feedback" USING btree ("service_id","submitted_at");--> statement-breakpoint
CREATE INDEX "feedback_tags_idx" ON "services"."feedback" USING gin ("tags");--> statement-breakpoint
CREATE INDEX "improvements_service_idx" ON "services"."improvements" USING btree ("service_id","published_on");--> statement-breakpoint
CREATE INDEX "page_feedback_time_idx" ON "services"."page_feedback" USING btree ("submitted_at");--> statement-breakpoint
CREATE UNIQUE INDEX "services_code_idx" ON "services"."services" USING btree ("code");--> statement-breakpoint
CREATE INDEX "services_org_idx" ON "services"."services" USING btree ("organization_id");--> statement-breakpoint
CREATE INDEX "standards_service_idx" ON "services"."standards" USING btree ("service_id");--> statement-breakpoint
CREATE UNIQUE INDEX "standards_code_idx" ON "services"."standards" USING btree ("service_id","code");