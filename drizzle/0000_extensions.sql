-- Trigram matching for fuzzy search ("did you mean"), used by every module's search.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
