import { jsonSyntaxError, locatePath, pathSegments } from './json-location';

const text = `{
  "name": "greet",
  "tasks": [
    { "name": "a", "taskReferenceName": "a" },
    { "name": "b", "taskReferenceName": "a", "type": "WAIT" }
  ]
}`;

describe('validation errors at their place in the JSON', () => {
  it('given paths as the validator writes them, then their segments', () => {
    expect(pathSegments('tasks[1].taskReferenceName')).toEqual(['tasks', 1, 'taskReferenceName']);
    expect(pathSegments('[0].tasks[2].decisionCases.x[0]')).toEqual([0, 'tasks', 2, 'decisionCases', 'x', 0]);
    expect(pathSegments('')).toEqual([]);
  });

  it('given a path to a field, then the field in the text, on its line', () => {
    const range = locatePath(text, 'tasks[1].taskReferenceName')!;
    expect(text.slice(range.offset, range.offset + range.length)).toBe('"taskReferenceName": "a"');
    expect(range).toMatchObject({ line: 5, exact: true });
  });

  it('given a path to a missing field, then the object that should hold it', () => {
    const range = locatePath(text, 'tasks[0].inputParameters')!;
    expect(text.slice(range.offset, range.offset + range.length)).toBe('{ "name": "a", "taskReferenceName": "a" }');
    expect(range).toMatchObject({ line: 4, exact: false });
  });

  it('given text that is not JSON, then no place, and the syntax error with its line', () => {
    expect(locatePath('{ "name": ', 'name')).toBeUndefined();
    expect(jsonSyntaxError('{\n  "name": "x",\n}')).toMatchObject({ line: 3 });
    expect(jsonSyntaxError(text)).toBeUndefined();
  });
});
