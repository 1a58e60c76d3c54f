; prisma.scm - the declarations of a schema.prisma file that hold tables and
; types. prisma.c walks each body itself: fields and attributes are read in
; order, and their meaning depends on each other (@relation names fields).
(model_declaration (identifier) @model.name (statement_block) @model.body)
(enum_declaration (identifier) @enum.name (enum_block) @enum.body)
