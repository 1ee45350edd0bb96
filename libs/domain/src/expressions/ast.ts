/**
 * AST of the script subset the sandbox runs. Every node records `start`, the source offset used
 * to report `line:col` in errors.
 */

export type Expression =
  | LiteralNode
  | TemplateNode
  | IdentifierNode
  | ArrayNode
  | ObjectNode
  | MemberNode
  | CallNode
  | ChainNode
  | UnaryNode
  | UpdateNode
  | BinaryNode
  | LogicalNode
  | ConditionalNode
  | AssignmentNode
  | SequenceNode
  | FunctionNode;

export interface LiteralNode { readonly type: 'Literal'; readonly start: number; readonly value: string | number | boolean | null | undefined }
export interface TemplateNode { readonly type: 'Template'; readonly start: number; readonly quasis: readonly string[]; readonly expressions: readonly Expression[] }
export interface IdentifierNode { readonly type: 'Identifier'; readonly start: number; readonly name: string }
export interface SpreadNode { readonly type: 'Spread'; readonly start: number; readonly argument: Expression }
export interface ArrayNode { readonly type: 'Array'; readonly start: number; readonly elements: readonly (Expression | SpreadNode)[] }

export interface PropertyNode {
  readonly type: 'Property';
  readonly start: number;
  /** Static key, or the expression of a computed `[key]`. */
  readonly key: string | Expression;
  readonly value: Expression;
}
export interface ObjectNode { readonly type: 'Object'; readonly start: number; readonly properties: readonly (PropertyNode | SpreadNode)[] }

export interface MemberNode {
  readonly type: 'Member';
  readonly start: number;
  readonly object: Expression;
  /** Static `.name`, or the expression of `[expr]`. */
  readonly property: string | Expression;
  readonly optional: boolean;
}
export interface CallNode {
  readonly type: 'Call';
  readonly start: number;
  readonly callee: Expression;
  readonly args: readonly (Expression | SpreadNode)[];
  readonly optional: boolean;
}
/** Boundary of an optional chain: a short-circuit anywhere inside yields `undefined` here. */
export interface ChainNode { readonly type: 'Chain'; readonly start: number; readonly expression: Expression }

export type UnaryOperator = '!' | '-' | '+' | '~' | 'typeof' | 'void' | 'delete';
export interface UnaryNode { readonly type: 'Unary'; readonly start: number; readonly operator: UnaryOperator; readonly argument: Expression }
export interface UpdateNode { readonly type: 'Update'; readonly start: number; readonly operator: '++' | '--'; readonly prefix: boolean; readonly argument: Expression }

export type BinaryOperator =
  | '+' | '-' | '*' | '/' | '%' | '**'
  | '==' | '!=' | '===' | '!==' | '<' | '>' | '<=' | '>='
  | '&' | '|' | '^' | '<<' | '>>' | '>>>' | 'in';
export interface BinaryNode { readonly type: 'Binary'; readonly start: number; readonly operator: BinaryOperator; readonly left: Expression; readonly right: Expression }
export interface LogicalNode { readonly type: 'Logical'; readonly start: number; readonly operator: '&&' | '||' | '??'; readonly left: Expression; readonly right: Expression }
export interface ConditionalNode { readonly type: 'Conditional'; readonly start: number; readonly test: Expression; readonly consequent: Expression; readonly alternate: Expression }

export type AssignmentOperator = '=' | '+=' | '-=' | '*=' | '/=' | '%=' | '**=' | '<<=' | '>>=' | '>>>=' | '&=' | '|=' | '^=' | '&&=' | '||=' | '??=';
export interface AssignmentNode {
  readonly type: 'Assignment';
  readonly start: number;
  readonly operator: AssignmentOperator;
  readonly target: IdentifierNode | MemberNode;
  readonly value: Expression;
}
export interface SequenceNode { readonly type: 'Sequence'; readonly start: number; readonly expressions: readonly Expression[] }

/** Binding targets of declarations, parameters and for-of: a name or a destructuring pattern. */
export type PatternNode = IdentifierNode | ArrayPatternNode | ObjectPatternNode;
export interface PatternElement { readonly target: PatternNode; readonly defaultValue: Expression | undefined }
export interface ArrayPatternNode {
  readonly type: 'ArrayPattern';
  readonly start: number;
  /** `undefined` marks a skipped position (`[, b]`). */
  readonly elements: readonly (PatternElement | undefined)[];
  readonly rest: PatternNode | undefined;
}
export interface ObjectPatternNode {
  readonly type: 'ObjectPattern';
  readonly start: number;
  readonly properties: readonly (PatternElement & { readonly key: string | Expression })[];
  readonly rest: IdentifierNode | undefined;
}

export interface ParameterNode { readonly target: PatternNode; readonly defaultValue?: Expression; readonly rest: boolean }
export interface FunctionNode {
  readonly type: 'Function';
  readonly start: number;
  readonly name: string | undefined;
  readonly params: readonly ParameterNode[];
  readonly arrow: boolean;
  /** A block for `function` and `=> { }`, an expression for `=> expr`. */
  readonly body: BlockNode | Expression;
  /** `var` names declared anywhere in the body, hoisted to the function scope. */
  readonly varNames: readonly string[];
}

export type Statement =
  | VarNode
  | FunctionDeclarationNode
  | ExpressionStatementNode
  | BlockNode
  | IfNode
  | ForNode
  | ForEachNode
  | WhileNode
  | DoWhileNode
  | ReturnNode
  | JumpNode
  | ThrowNode
  | TryNode
  | SwitchNode
  | EmptyNode;

export type DeclarationKind = 'var' | 'let' | 'const';
export interface DeclaratorNode { readonly target: PatternNode; readonly init: Expression | undefined; readonly start: number }
export interface VarNode { readonly type: 'Var'; readonly start: number; readonly kind: DeclarationKind; readonly declarations: readonly DeclaratorNode[] }
export interface FunctionDeclarationNode { readonly type: 'FunctionDeclaration'; readonly start: number; readonly fn: FunctionNode & { readonly name: string } }
export interface ExpressionStatementNode { readonly type: 'ExpressionStatement'; readonly start: number; readonly expression: Expression }
export interface BlockNode {
  readonly type: 'Block';
  readonly start: number;
  readonly body: readonly Statement[];
  /** True when the block declares let/const/functions and so needs its own scope. */
  readonly scoped: boolean;
}
export interface IfNode { readonly type: 'If'; readonly start: number; readonly test: Expression; readonly consequent: Statement; readonly alternate: Statement | undefined }
export interface ForNode {
  readonly type: 'For';
  readonly start: number;
  readonly init: VarNode | Expression | undefined;
  readonly test: Expression | undefined;
  readonly update: Expression | undefined;
  readonly body: Statement;
}
/** `for (x of iterable)` and `for (k in object)`. */
export interface ForEachNode {
  readonly type: 'ForEach';
  readonly start: number;
  readonly each: 'of' | 'in';
  /** Undefined when the loop assigns an existing variable (`for (x of xs)`). */
  readonly kind: DeclarationKind | undefined;
  readonly target: PatternNode;
  readonly iterable: Expression;
  readonly body: Statement;
}
export interface WhileNode { readonly type: 'While'; readonly start: number; readonly test: Expression; readonly body: Statement }
export interface DoWhileNode { readonly type: 'DoWhile'; readonly start: number; readonly test: Expression; readonly body: Statement }
export interface ReturnNode { readonly type: 'Return'; readonly start: number; readonly argument: Expression | undefined }
export interface JumpNode { readonly type: 'Break' | 'Continue'; readonly start: number }
export interface ThrowNode { readonly type: 'Throw'; readonly start: number; readonly argument: Expression }
export interface TryNode {
  readonly type: 'Try';
  readonly start: number;
  readonly block: BlockNode;
  readonly param: string | undefined;
  readonly handler: BlockNode | undefined;
  readonly finalizer: BlockNode | undefined;
}
export interface SwitchCaseNode { readonly test: Expression | undefined; readonly body: readonly Statement[] }
export interface SwitchNode { readonly type: 'Switch'; readonly start: number; readonly discriminant: Expression; readonly cases: readonly SwitchCaseNode[] }
export interface EmptyNode { readonly type: 'Empty'; readonly start: number }

/** A whole script: statements plus the `var` names hoisted to its top-level scope. */
export interface ProgramNode {
  readonly type: 'Program';
  readonly start: number;
  readonly body: readonly Statement[];
  readonly varNames: readonly string[];
}
