; orm_django.scm - what the Django extractor (django.c) looks at: the
; classes of a models module (models, abstract bases, their Meta). Fields
; and Meta options are read in C.
(class_definition
  name: (identifier) @class
  body: (block) @body) @classdef
