; orm_sqlalchemy.scm - what the SQLAlchemy extractor (sqlalchemy.c) looks at:
; every class (declarative models, mixins and Python enums) and the
; module-level Table(...) and Index(...) calls. Arguments are read in C.
(class_definition
  name: (identifier) @class
  body: (block) @body) @classdef

(module
  (expression_statement
    (assignment
      left: (identifier) @var
      right: (call
        function: [(identifier) (attribute)] @fn
        arguments: (argument_list) @args) @call)))

(module
  (expression_statement
    (call
      function: [(identifier) (attribute)] @fn
      arguments: (argument_list) @args) @call))

; intpk = Annotated[int, mapped_column(primary_key=True)]
((module
   (expression_statement
     (assignment
       left: (identifier) @alias
       right: (subscript value: (identifier) @annotated) @annsub)))
  (#eq? @annotated "Annotated"))
