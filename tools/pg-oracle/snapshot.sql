-- snapshot.sql - one line per catalog fact, for the round trip of a migration.
--
-- The oracle reads this before an up step and after its down step; the two
-- sets of lines must be equal for the down step to reverse the up step.
-- Both sides are printed by PostgreSQL itself, so no normalization is done:
-- a fact is what pg_get_*def() prints. Left out on purpose (docs/catalog.md,
-- "The oracle"): column order (a column dropped and re-added comes back at
-- the end, which no down step can avoid), comments, grants, ownership,
-- statistics, and the objects of extensions and of the platform stubs'
-- own schemas (they exist on both sides anyway).
WITH
ns AS (
  SELECT oid, nspname FROM pg_namespace
  WHERE nspname NOT LIKE 'pg\_%' AND nspname <> 'information_schema'
),
ext AS (SELECT objid FROM pg_depend WHERE deptype = 'e'),
rels AS (
  SELECT c.oid, c.relname, c.relkind, n.nspname, c.relrowsecurity,
         quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS qname
  FROM pg_class c JOIN ns n ON n.oid = c.relnamespace
  WHERE c.oid NOT IN (SELECT objid FROM ext)
)
SELECT line FROM (
  SELECT 'schema ' || nspname AS line FROM ns
  UNION ALL
  SELECT 'extension ' || extname || ' ' || (SELECT nspname FROM pg_namespace WHERE oid = extnamespace)
  FROM pg_extension
  UNION ALL
  SELECT 'relation ' || qname || ' kind=' || relkind::text || ' rls=' || relrowsecurity
  FROM rels WHERE relkind IN ('r', 'p', 'v', 'm', 'S', 'f', 'c')
  UNION ALL
  SELECT 'column ' || r.qname || '.' || quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod)
         || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
         || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
         || CASE a.attidentity WHEN 'a' THEN ' identity always' WHEN 'd' THEN ' identity by default' ELSE '' END
         || CASE WHEN a.attgenerated = 's' THEN ' stored' ELSE '' END
         || CASE WHEN a.attcollation <> 0 AND a.attcollation <> (SELECT typcollation FROM pg_type WHERE oid = a.atttypid)
                 THEN ' collate ' || (SELECT collname FROM pg_collation WHERE oid = a.attcollation) ELSE '' END
  FROM rels r JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
  WHERE r.relkind IN ('r', 'p', 'v', 'm', 'f', 'c')
  UNION ALL
  SELECT 'constraint ' || r.qname || '.' || quote_ident(c.conname) || ' ' || pg_get_constraintdef(c.oid)
  FROM pg_constraint c JOIN rels r ON r.oid = c.conrelid
  WHERE NOT (c.contype = 'f' AND c.conparentid <> 0)
  UNION ALL
  SELECT 'index ' || pg_get_indexdef(x.indexrelid)
  FROM pg_index x JOIN rels r ON r.oid = x.indrelid
  UNION ALL
  SELECT 'view ' || qname || ' ' || regexp_replace(pg_get_viewdef(oid), '\s+', ' ', 'g')
  FROM rels WHERE relkind IN ('v', 'm')
  UNION ALL
  SELECT 'sequence ' || r.qname || ' ' || format_type(s.seqtypid, NULL) || ' start ' || s.seqstart
         || ' inc ' || s.seqincrement || ' min ' || s.seqmin || ' max ' || s.seqmax || ' cycle ' || s.seqcycle
  FROM pg_sequence s JOIN rels r ON r.oid = s.seqrelid
  UNION ALL
  SELECT 'trigger ' || pg_get_triggerdef(t.oid)
  FROM pg_trigger t JOIN rels r ON r.oid = t.tgrelid WHERE NOT t.tgisinternal
  UNION ALL
  SELECT 'policy ' || r.qname || '.' || quote_ident(p.polname) || ' cmd=' || p.polcmd::text
         || ' using=' || coalesce(pg_get_expr(p.polqual, p.polrelid), '')
         || ' check=' || coalesce(pg_get_expr(p.polwithcheck, p.polrelid), '')
  FROM pg_policy p JOIN rels r ON r.oid = p.polrelid
  UNION ALL
  SELECT 'function ' || n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ') '
         || CASE WHEN p.prokind IN ('f', 'p', 'w')
                 -- the definition up to comments and layout (migralint compares a body by its
                 -- tokens: re-indenting a body in a down step restores the function); an
                 -- approximation: a "--" or "/*" inside a string literal is taken as a comment,
                 -- and the text is lower-cased whole (migralint folds unquoted words only)
                 THEN md5(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
                        lower(pg_get_functiondef(p.oid)), '--[^\n]*', '', 'g'), '/\*.*?\*/', '', 'g'),
                        '\s+', ' ', 'g'), ' (?=\W)|(?<=\W) ', '', 'g'))
                 ELSE p.prokind::text END
  FROM pg_proc p JOIN ns n ON n.oid = p.pronamespace
  WHERE p.oid NOT IN (SELECT objid FROM ext)
  UNION ALL
  SELECT 'type ' || n.nspname || '.' || t.typname || ' ' ||
         CASE t.typtype
           WHEN 'e' THEN 'enum ' || (SELECT string_agg(quote_literal(enumlabel), ',' ORDER BY enumsortorder)
                                     FROM pg_enum WHERE enumtypid = t.oid)
           WHEN 'd' THEN 'domain ' || format_type(t.typbasetype, t.typtypmod)
                         || CASE WHEN t.typnotnull THEN ' not null' ELSE '' END
                         || coalesce(' default ' || t.typdefault, '')
                         || coalesce((SELECT ' ' || string_agg(pg_get_constraintdef(c.oid), ' ' ORDER BY c.conname)
                                      FROM pg_constraint c WHERE c.contypid = t.oid), '')
           ELSE t.typtype::text END
  FROM pg_type t JOIN ns n ON n.oid = t.typnamespace
  WHERE t.oid NOT IN (SELECT objid FROM ext)
    AND (t.typtype IN ('e', 'd', 'r', 'm')
         OR (t.typtype = 'c' AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c'))
) facts
ORDER BY line;
