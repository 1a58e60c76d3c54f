; orm_gorm.scm - what the GORM extractor (gorm.c) looks at: struct types
; (the models), named types over basic ones (type Status string), and
; TableName() methods that return a string literal.
(type_spec
  name: (type_identifier) @struct
  type: (struct_type (field_declaration_list) @fields)) @spec

(type_spec
  name: (type_identifier) @alias
  type: (type_identifier) @base)

((method_declaration
   receiver: (parameter_list
     (parameter_declaration
       type: [(type_identifier) @recv (pointer_type (type_identifier) @recv)]))
   name: (field_identifier) @method
   body: (block) @body) @tablename
  (#eq? @method "TableName"))
