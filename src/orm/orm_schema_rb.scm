; orm_schema_rb.scm - what the db/schema.rb extractor (schema_rb.c) looks
; at: the schema statements Rails' schema dumper writes. The column calls
; inside a create_table block are read in C.
((call
   method: (identifier) @method
   arguments: (argument_list) @args) @call
  (#any-of? @method "create_table" "create_enum" "add_foreign_key" "add_index"))
