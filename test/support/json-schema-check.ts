/**
 * Checks a value against the JSON Schema subset the OpenAPI document uses (what zod emits: type, properties,
 * required, additionalProperties, items, enum, const, anyOf, $ref to components, bounds, pattern). Returns
 * the problems, each with its JSON path; [] when the value conforms. Unknown keywords are ignored, so it
 * can only miss problems, never invent one. Test-only: the product validates with zod.
 */
type Schema = Record<string, unknown>;

export function schemaProblems(value: unknown, schema: Schema, root: Schema, path = '$'): string[] {
  if (typeof schema.$ref === 'string') {
    const target = schema.$ref
      .replace(/^#\//, '')
      .split('/')
      .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], root) as Schema;
    return schemaProblems(value, target, root, path);
  }
  if (Array.isArray(schema.anyOf)) {
    const branches = (schema.anyOf as Schema[]).map((s) => schemaProblems(value, s, root, path));
    return branches.some((p) => p.length === 0) ? [] : [`${path}: matches no branch (${branches.flat()[0]})`];
  }
  const problems: string[] = [];
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (!types.some((t) => hasType(value, t))) {
      return [`${path}: expected ${types.join(' | ')}, got ${JSON.stringify(value)}`];
    }
  }
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) {
    problems.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  }
  if ('const' in schema && schema.const !== value)
    problems.push(`${path}: expected ${JSON.stringify(schema.const)}`);
  if (typeof value === 'string') {
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) {
      problems.push(`${path}: does not match ${schema.pattern}`);
    }
    if (typeof schema.minLength === 'number' && value.length < schema.minLength)
      problems.push(`${path}: too short`);
    if (typeof schema.maxLength === 'number' && value.length > schema.maxLength)
      problems.push(`${path}: too long`);
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) problems.push(`${path}: under minimum`);
    if (typeof schema.maximum === 'number' && value > schema.maximum) problems.push(`${path}: over maximum`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems)
      problems.push(`${path}: too few`);
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems)
      problems.push(`${path}: too many`);
    if (schema.items && typeof schema.items === 'object') {
      value.forEach((v, i) =>
        problems.push(...schemaProblems(v, schema.items as Schema, root, `${path}[${i}]`)),
      );
    }
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    for (const key of (schema.required ?? []) as string[]) {
      if (!(key in record)) problems.push(`${path}.${key}: required but missing`);
    }
    for (const [key, v] of Object.entries(record)) {
      if (key in properties) problems.push(...schemaProblems(v, properties[key]!, root, `${path}.${key}`));
      else if (schema.additionalProperties === false) problems.push(`${path}.${key}: not in the document`);
      else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
        problems.push(...schemaProblems(v, schema.additionalProperties as Schema, root, `${path}.${key}`));
      }
    }
  }
  return problems;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
    case 'integer':
      return Number.isInteger(value);
    default:
      return typeof value === type;
  }
}
