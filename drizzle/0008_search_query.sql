-- What people type, parsed in English, French and `simple` (no stemming), with identical branches
-- dropped: "export" stems to the same lexeme in all three, and 'export' | 'export' | 'export' makes
-- the planner think three times as many rows match and skip the full-text index. Immutable, so a
-- call with a constant is folded into the plan like a literal.
CREATE FUNCTION kernel.search_query(q text) RETURNS tsquery
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT CASE
    WHEN e = f AND f = s THEN e
    WHEN e = f THEN e || s
    WHEN f = s OR e = s THEN e || f
    ELSE e || f || s
  END
  FROM (SELECT websearch_to_tsquery('english', q) AS e, websearch_to_tsquery('french', q) AS f, websearch_to_tsquery('simple', q) AS s) AS parsed
$$;
