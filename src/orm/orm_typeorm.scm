; orm_typeorm.scm - what the TypeORM extractor (typeorm.c) looks at: the
; classes decorated with @Entity (their decorators sit on the class, or on
; the export statement around it) and the TypeScript enums enum columns
; name. Property decorators are read in C.
((class_declaration
   decorator: (decorator (call_expression function: (identifier) @deco))
   name: (type_identifier) @class
   body: (class_body) @body) @classdecl
  (#eq? @deco "Entity"))

((export_statement
   decorator: (decorator (call_expression function: (identifier) @deco))
   declaration: (class_declaration
     name: (type_identifier) @class
     body: (class_body) @body) @classdecl) @export
  (#eq? @deco "Entity"))

(enum_declaration
  name: (identifier) @enum
  body: (enum_body) @enumbody)
