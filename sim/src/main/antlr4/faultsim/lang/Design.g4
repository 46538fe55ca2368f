/*
 * The design language: a locking design written as C-like functions named after the kernel
 * functions they model. See faultsim.lang.package-info for the full description.
 *
 *   design fa_lock_highest extends linux_3_15;
 *   vm_fault_t do_read_fault(struct vm_fault *vmf) { ... }
 *
 * Type names, integer aliases and primitive names are identifiers; the checker resolves them
 * against the host, so the grammar knows no kernel vocabulary.
 */
grammar Design;

designFile
    : header (functionDef | structDecl | globalDecl | macroDecl)* EOF
    ;

// Fields a design adds to a modelled struct: struct vm_area_struct { seqcount_t vm_sequence; };
structDecl
    : STRUCT name=IDENT '{' fieldDecl* '}' ';'
    ;

// A field may live on the cache line of another: atomic_t n __shares_line(mmap_lock);
fieldDecl
    : typeRef name=IDENT (attr=IDENT '(' shared=IDENT ')')? ';'
    ;

// A global variable: static atomic_t nr_spf; DEFINE_SPINLOCK(x) is a macroDecl.
globalDecl
    : STATIC? typeRef name=IDENT ';'
    ;

// DEFINE_SPINLOCK(name); DECLARE_RWSEM(name); DEFINE_VM_EVENT(NAME); ...
macroDecl
    : macro=IDENT '(' name=IDENT ')' ';'
    ;

header
    : DESIGN name=IDENT (EXTENDS (baseName=IDENT | basePath=STRING))? ';'
    ;

functionDef
    : typeRef name=IDENT '(' (param (',' param)*)? ')' block
    ;

param
    : typeRef name=IDENT
    ;

// `struct folio *`, `folio *` and `folio` name the same type; `unsigned long` is an integer.
typeRef
    : STRUCT name=IDENT star='*'?      # structType
    | UNSIGNED name=IDENT              # unsignedType
    | name=IDENT star='*'?             # namedType
    ;

block
    : '{' statement* '}'
    ;

statement
    : block                                                  # blockStmt
    | typeRef name=IDENT ('=' init=expr)? ';'                # localDecl
    | IF '(' cond=expr ')' then=statement (ELSE other=statement)?  # ifStmt
    | WHILE '(' cond=expr ')' body=statement                 # whileStmt
    | FOR var=IDENT IN source=expr body=block                # forStmt
    | RETURN value=expr? ';'                                 # returnStmt
    | BREAK ';'                                              # breakStmt
    | CONTINUE ';'                                           # continueStmt
    | target=expr ('=' value=expr)? ';'                      # exprStmt
    ;

// C precedence, highest first. '->' and '.' are the same field access; a prefix '&' is
// accepted before an lvalue and means nothing.
expr
    : primary                                                # primaryExpr
    | expr op=('->' | '.') field=IDENT                       # fieldExpr
    | op=('!' | '~' | '-' | '&') expr                        # unaryExpr
    | expr op=('*' | '/' | '%') expr                         # binaryExpr
    | expr op=('+' | '-') expr                               # binaryExpr
    | expr op=('<<' | '>>') expr                             # binaryExpr
    | expr op=('<' | '<=' | '>' | '>=') expr                 # binaryExpr
    | expr op=('==' | '!=') expr                             # binaryExpr
    | expr op='&' expr                                       # binaryExpr
    | expr op='^' expr                                       # binaryExpr
    | expr op='|' expr                                       # binaryExpr
    | expr op='&&' expr                                      # logicalExpr
    | expr op='||' expr                                      # logicalExpr
    ;

primary
    : NUMBER                                                 # numberLit
    | (TRUE | FALSE)                                         # boolLit
    | NULL                                                   # nullLit
    | SUPER '.' name=IDENT '(' args? ')'                     # superCall
    | name=IDENT '(' args? ')'                               # call
    | name=IDENT                                             # nameRef
    | '(' expr ')'                                           # parens
    ;

args
    : expr (',' expr)*
    ;

DESIGN   : 'design';
EXTENDS  : 'extends';
STRUCT   : 'struct';
UNSIGNED : 'unsigned';
IF       : 'if';
ELSE     : 'else';
WHILE    : 'while';
FOR      : 'for';
IN       : 'in';
RETURN   : 'return';
BREAK    : 'break';
CONTINUE : 'continue';
TRUE     : 'true';
FALSE    : 'false';
NULL     : 'NULL';
SUPER    : 'super';
STATIC   : 'static';

// C operators the language leaves out, so that their use gets a message saying what to write.
INC   : '++';
DEC   : '--';
COMPOUND_ASSIGN : '+=' | '-=' | '*=' | '/=' | '%=' | '|=' | '&=' | '^=' | '<<=' | '>>=';
QUESTION : '?';

ARROW : '->';
LAND  : '&&';
LOR   : '||';
EQ    : '==';
NE    : '!=';
LE    : '<=';
GE    : '>=';
SHL   : '<<';
SHR   : '>>';
LT    : '<';
GT    : '>';
ASSIGN: '=';
PLUS  : '+';
MINUS : '-';
STAR  : '*';
DIV   : '/';
MOD   : '%';
AMP   : '&';
PIPE  : '|';
CARET : '^';
BANG  : '!';
TILDE : '~';
DOT   : '.';
COMMA : ',';
SEMI  : ';';
LPAREN: '(';
RPAREN: ')';
LBRACE: '{';
RBRACE: '}';

// Decimal, hex, and suffixed numbers (200ns, 4k) are one token; the checker reads the suffix.
NUMBER : [0-9] [a-zA-Z0-9_]* ;
IDENT  : [a-zA-Z_] [a-zA-Z_0-9]* ;
STRING : '"' ~["\r\n]* '"' ;

LINE_COMMENT  : '//' ~[\r\n]* -> channel(HIDDEN);
BLOCK_COMMENT : '/*' .*? '*/' -> channel(HIDDEN);
WS            : [ \t\r\n\f]+ -> channel(HIDDEN);
