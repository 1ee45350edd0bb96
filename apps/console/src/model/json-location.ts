import { findNodeAtLocation, parseTree, type Node, type ParseError, printParseErrorCode } from 'jsonc-parser';

/** A validator path (`tasks[1].taskReferenceName`, `[0].tasks[2]`) as JSON path segments. */
export function pathSegments(path: string): (string | number)[] {
  const segments: (string | number)[] = [];
  const pattern = /\[(\d+)\]|\.?([^.[\]]+)/g;
  for (let match = pattern.exec(path); match; match = pattern.exec(path)) {
    if (match[1] !== undefined) segments.push(Number(match[1]));
    else if (match[2] !== undefined) segments.push(match[2]);
  }
  return segments;
}

export interface TextRange {
  readonly offset: number;
  readonly length: number;
  /** 1-based line of the start. */
  readonly line: number;
  /** How much of the path was found: a missing field points at its closest parent. */
  readonly exact: boolean;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let index = 0; index < offset && index < text.length; index += 1) if (text.charCodeAt(index) === 10) line += 1;
  return line;
}

/**
 * Where a validation error's path is in the JSON text the user typed: the value at that path, or,
 * when the field is missing, the object that should hold it. `undefined` when the text is not JSON.
 */
export function locatePath(text: string, path: string): TextRange | undefined {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  if (!root || errors.length > 0) return undefined;
  const segments = pathSegments(path);
  for (let length = segments.length; length >= 0; length -= 1) {
    const node: Node | undefined = length === 0 ? root : findNodeAtLocation(root, segments.slice(0, length));
    if (!node) continue;
    // A property's value: highlight "key": value, so a reader sees the field's name.
    const target = node.parent?.type === 'property' ? node.parent : node;
    return { offset: target.offset, length: target.length, line: lineOf(text, target.offset), exact: length === segments.length };
  }
  return undefined;
}

/** The first JSON syntax error in the text, with its line, or undefined when the text parses. */
export function jsonSyntaxError(text: string): { message: string; offset: number; line: number } | undefined {
  const errors: ParseError[] = [];
  parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  const first = errors[0];
  if (!first) return undefined;
  return { message: printParseErrorCode(first.error), offset: first.offset, line: lineOf(text, first.offset) };
}
