/**
 * Expressions of workflow definitions: Conductor's `${...}` parameter mapping and the sandboxed
 * JavaScript-subset evaluator behind SWITCH, DO_WHILE, value-param INLINE and event-handler conditions.
 */
export { ExpressionError, type ExpressionErrorKind, type SourcePosition } from './expression-error';
export { parseExpression, isParsedExpression, MAX_SOURCE_LENGTH, type ParsedExpression } from './parser';
export {
  evaluateExpression,
  getParsedExpression,
  clearExpressionCache,
  DEFAULT_EVALUATION_LIMITS,
  type EvaluationOptions,
} from './expression-evaluator';
export { LruCache } from './expression-cache';
export {
  evaluateSwitchCase,
  evaluateWithEvaluator,
  toCaseKey,
  validateEvaluatorExpression,
  isEvaluatorType,
  EVALUATOR_TYPES,
  type EvaluatorType,
} from './switch-evaluator';
export { evaluateCondition, conditionResultToBoolean, expandJsonStrings, type ConditionOptions } from './condition-evaluator';
export { resolveParameters, resolveTemplate, interpolationText, type MappingContext } from './parameter-mapping';
export { parseReferences, validateParameterTemplate, type ParameterReference } from './parameter-references';
