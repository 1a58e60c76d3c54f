; drizzle.scm - every variable of a Drizzle pg-core schema file with its
; value. drizzle.c tells the declarations apart (src/orm/drizzle.c: decl_of):
; a table (pgTable, pgTable.withRLS, <schema>.table, a pgTableCreator
; variable, any of them followed by .enableRLS()), an enum (pgEnum,
; <schema>.enum), a schema (pgSchema) or a table creator (pgTableCreator),
; each assigned to a variable that columns and foreign keys use to refer
; to it.
(variable_declarator
  name: (identifier) @var
  value: (call_expression) @value)
