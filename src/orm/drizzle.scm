; drizzle.scm - the declarations of a Drizzle pg-core schema file: a table
; (pgTable, or <schema>.table), an enum (pgEnum, <schema>.enum) or a schema
; (pgSchema), each assigned to a variable that columns and foreign keys use
; to refer to it. drizzle.c reads the arguments.
(variable_declarator
  name: (identifier) @var
  value: (call_expression
    function: (identifier) @fn
    arguments: (arguments) @args)
  (#any-of? @fn "pgTable" "pgEnum" "pgSchema"))

(variable_declarator
  name: (identifier) @var
  value: (call_expression
    function: (member_expression
      object: (identifier) @obj
      property: (property_identifier) @fn)
    arguments: (arguments) @args)
  (#any-of? @fn "table" "enum"))
