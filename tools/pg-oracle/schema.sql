WITH
ns AS (
  SELECT oid, nspname FROM pg_namespace
  WHERE nspname NOT LIKE 'pg\_%' AND nspname <> 'information_schema'
),
ext_member AS (  -- objects an extension created are not the migrations' own
  SELECT objid FROM pg_depend WHERE deptype = 'e'
),
rels AS (
  SELECT c.oid, c.relname, c.relkind, n.nspname
  FROM pg_class c JOIN ns n ON n.oid = c.relnamespace
  WHERE c.oid NOT IN (SELECT objid FROM ext_member)
),
attnames AS (
  SELECT attrelid, attnum, attname FROM pg_attribute WHERE attnum > 0
),
cols AS (
  SELECT a.attrelid, json_agg(json_build_object(
      'name', a.attname,
      'type', format_type(a.atttypid, a.atttypmod),
      'nullable', NOT a.attnotnull,
      'default', CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, d.adrelid) END,
      'identity', CASE a.attidentity WHEN 'a' THEN 'always' WHEN 'd' THEN 'by default' END,
      'generated', CASE WHEN a.attgenerated = 's' THEN pg_get_expr(d.adbin, d.adrelid) END
    ) ORDER BY a.attnum) AS columns
  FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
  WHERE a.attnum > 0 AND NOT a.attisdropped AND a.attrelid IN (SELECT oid FROM rels)
  GROUP BY a.attrelid
),
cons AS (
  SELECT c.conrelid, json_object_agg(c.conname, json_build_object(
      'type', CASE c.contype WHEN 'p' THEN 'primary key' WHEN 'u' THEN 'unique' WHEN 'c' THEN 'check'
                  WHEN 'f' THEN 'foreign key' WHEN 'x' THEN 'exclusion' ELSE c.contype::text END,
      'columns', (SELECT coalesce(json_agg(an.attname ORDER BY k.i), '[]')
                  FROM unnest(c.conkey) WITH ORDINALITY k(n, i)
                  JOIN attnames an ON an.attrelid = c.conrelid AND an.attnum = k.n),
      'validated', c.convalidated,
      'expression', CASE WHEN c.contype = 'c' THEN pg_get_constraintdef(c.oid) END,
      'references', CASE WHEN c.contype = 'f' THEN
                      (SELECT rn.nspname || '.' || rc.relname FROM pg_class rc
                       JOIN pg_namespace rn ON rn.oid = rc.relnamespace WHERE rc.oid = c.confrelid) END,
      'ref_columns', CASE WHEN c.contype = 'f' THEN
                      (SELECT json_agg(an.attname ORDER BY k.i) FROM unnest(c.confkey) WITH ORDINALITY k(n, i)
                       JOIN attnames an ON an.attrelid = c.confrelid AND an.attnum = k.n) END,
      'on_delete', CASE WHEN c.contype = 'f' THEN c.confdeltype::text END,
      'on_update', CASE WHEN c.contype = 'f' THEN c.confupdtype::text END
    )) AS constraints
  FROM pg_constraint c
  WHERE c.conrelid IN (SELECT oid FROM rels)
    -- a foreign key to a partitioned table has an internal copy per partition
    AND NOT (c.contype = 'f' AND c.conparentid <> 0 AND EXISTS (
          SELECT 1 FROM pg_constraint p WHERE p.oid = c.conparentid AND p.conrelid = c.conrelid))
  GROUP BY c.conrelid
),
idx AS (
  SELECT x.indrelid, json_object_agg(i.relname, json_build_object(
      'columns', (SELECT json_agg(pg_get_indexdef(x.indexrelid, k, false) ORDER BY k)
                  FROM generate_series(1, x.indnkeyatts) k),
      'include', (SELECT coalesce(json_agg(pg_get_indexdef(x.indexrelid, k, false) ORDER BY k), '[]')
                  FROM generate_series(x.indnkeyatts + 1, x.indnatts) k),
      'unique', x.indisunique,
      'primary', x.indisprimary,
      'method', am.amname,
      'where', pg_get_expr(x.indpred, x.indrelid),
      'constraint', (SELECT conname FROM pg_constraint WHERE conindid = x.indexrelid
                     AND conrelid = x.indrelid AND contype IN ('p', 'u', 'x'))
    )) AS indexes
  FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_am am ON am.oid = i.relam
  WHERE x.indrelid IN (SELECT oid FROM rels)
  GROUP BY x.indrelid
),
trig AS (
  SELECT tgrelid, json_agg(tgname ORDER BY tgname) AS triggers
  FROM pg_trigger WHERE NOT tgisinternal GROUP BY tgrelid
),
tables AS (
  SELECT coalesce(json_object_agg(r.nspname || '.' || r.relname, json_build_object(
      'kind', CASE r.relkind WHEN 'p' THEN 'partitioned table' ELSE 'table' END,
      'partition_of', (SELECT pn.nspname || '.' || pc.relname FROM pg_inherits h
                       JOIN pg_class pc ON pc.oid = h.inhparent
                       JOIN pg_namespace pn ON pn.oid = pc.relnamespace WHERE h.inhrelid = r.oid),
      'partition_by', CASE WHEN r.relkind = 'p' THEN pg_get_partkeydef(r.oid) END,
      'columns', coalesce(cl.columns, '[]'),
      'constraints', coalesce(cn.constraints, '{}'),
      'indexes', coalesce(ix.indexes, '{}'),
      'triggers', coalesce(tg.triggers, '[]')
    )), '{}') AS v
  FROM rels r LEFT JOIN cols cl ON cl.attrelid = r.oid LEFT JOIN cons cn ON cn.conrelid = r.oid
    LEFT JOIN idx ix ON ix.indrelid = r.oid LEFT JOIN trig tg ON tg.tgrelid = r.oid
  WHERE r.relkind IN ('r', 'p')
),
view_reads AS (  -- what a view's rewrite rule depends on
  SELECT DISTINCT w.ev_class AS view, dn.nspname || '.' || dc.relname ||
         CASE WHEN d.refobjsubid > 0 THEN '.' || (SELECT attname FROM pg_attribute
              WHERE attrelid = d.refobjid AND attnum = d.refobjsubid) ELSE '' END AS name
  FROM pg_rewrite w JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = w.oid
    JOIN pg_class dc ON dc.oid = d.refobjid AND d.refclassid = 'pg_class'::regclass
    JOIN pg_namespace dn ON dn.oid = dc.relnamespace
  WHERE d.refobjid <> w.ev_class
),
views AS (
  SELECT coalesce(json_object_agg(r.nspname || '.' || r.relname, json_build_object(
      'materialized', r.relkind = 'm',
      'columns', (SELECT json_agg(json_build_object('name', a.attname,
                         'type', format_type(a.atttypid, a.atttypmod)) ORDER BY a.attnum)
                  FROM pg_attribute a WHERE a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped),
      'reads', (SELECT coalesce(json_agg(name ORDER BY name), '[]') FROM view_reads WHERE view = r.oid),
      'indexes', coalesce(ix.indexes, '{}')
    )), '{}') AS v
  FROM rels r LEFT JOIN idx ix ON ix.indrelid = r.oid
  WHERE r.relkind IN ('v', 'm')
),
types AS (
  SELECT coalesce(json_object_agg(n.nspname || '.' || t.typname, json_build_object(
      'kind', CASE t.typtype WHEN 'e' THEN 'enum' WHEN 'd' THEN 'domain' ELSE 'composite' END,
      'values', CASE WHEN t.typtype = 'e' THEN
                  (SELECT json_agg(enumlabel ORDER BY enumsortorder) FROM pg_enum WHERE enumtypid = t.oid) END,
      'base', CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END
    )), '{}') AS v
  FROM pg_type t JOIN ns n ON n.oid = t.typnamespace
  WHERE t.oid NOT IN (SELECT objid FROM ext_member)
    AND (t.typtype IN ('e', 'd')
         OR (t.typtype = 'c' AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c'))
),
seqs AS (
  SELECT coalesce(json_object_agg(r.nspname || '.' || r.relname, json_build_object(
      'owned_by', (SELECT tn.nspname || '.' || tc.relname || '.' || a.attname FROM pg_depend d
                   JOIN pg_class tc ON tc.oid = d.refobjid JOIN pg_namespace tn ON tn.oid = tc.relnamespace
                   JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                   WHERE d.classid = 'pg_class'::regclass AND d.objid = r.oid
                     AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
                     AND d.refobjsubid > 0 LIMIT 1)
    )), '{}') AS v
  FROM rels r WHERE r.relkind = 'S'
),
funcs AS (
  SELECT coalesce(json_agg(n.nspname || '.' || p.proname || '(' || oidvectortypes(p.proargtypes) || ')'
                           ORDER BY 1), '[]') AS v
  FROM pg_proc p JOIN ns n ON n.oid = p.pronamespace
  WHERE p.oid NOT IN (SELECT objid FROM ext_member)
),
volatility AS (  -- PostgreSQL stores no "volatile default" flag: derived from pg_proc
  SELECT json_object_agg(proname, v) AS v
  FROM (SELECT proname, max(provolatile::text) AS v FROM pg_proc GROUP BY proname) x
)
SELECT json_build_object(
  'schemas', (SELECT json_agg(nspname ORDER BY nspname) FROM ns),
  'extensions', (SELECT coalesce(json_agg(extname ORDER BY extname), '[]')
                 FROM pg_extension WHERE extname <> 'plpgsql'),
  'types', (SELECT v FROM types),
  'sequences', (SELECT v FROM seqs),
  'tables', (SELECT v FROM tables),
  'views', (SELECT v FROM views),
  'functions', (SELECT v FROM funcs),
  'volatility', (SELECT v FROM volatility)
);
