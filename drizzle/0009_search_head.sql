ALTER TABLE "catalogue"."datasets" ADD COLUMN "search_head" "tsvector";--> statement-breakpoint
-- Datasets saved before this column: the same vector data/datasets.ts `refreshSearchWhere` keeps.
UPDATE "catalogue"."datasets" d SET "search_head" =
  setweight(to_tsvector('simple', coalesce(d.name, '')), 'A') || setweight(to_tsvector('english', coalesce(d.name, '')), 'A') || setweight(to_tsvector('french', coalesce(d.name, '')), 'A')
  || setweight(to_tsvector('english', coalesce(d.title->>'en', '')), 'A') || setweight(to_tsvector('french', coalesce(d.title->>'fr', '')), 'A')
  || setweight(to_tsvector('english', array_to_string(array(select jsonb_array_elements_text(d.keywords->'en')), ' ')), 'B')
  || setweight(to_tsvector('french', array_to_string(array(select jsonb_array_elements_text(d.keywords->'fr')), ' ')), 'B');
