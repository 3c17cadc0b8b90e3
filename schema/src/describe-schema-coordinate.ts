import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';

/**
 * Prints what a schema coordinate (`Movie`, `Movie.year`, `Query.movie.id`, `@deprecated.reason`) is in one schema,
 * e.g. `Movie.year: Int` or `(absent)`, so a breaking-change report can show old → new in plain words.
 */
export function describeSchemaCoordinate(schema: GraphQLSchema, coordinate: string): string {
  const absent = '(absent)';
  if (coordinate.startsWith('@')) {
    const [name = '', argName] = coordinate.slice(1).split('.');
    const directive = schema.getDirective(name);
    if (!directive) return absent;
    if (argName === undefined) return `@${directive.name}(${directive.args.map(printArgument).join(', ')}) on ${directive.locations.join(' | ')}`;
    const arg = directive.args.find((a) => a.name === argName);
    return arg ? `${coordinate}: ${printArgumentType(arg)}` : absent;
  }
  const [typeName = '', memberName, argName] = coordinate.split('.');
  const type = schema.getType(typeName);
  if (!type) return absent;
  if (memberName === undefined) return `${kindOf(type)} ${type.name}`;
  if (isObjectType(type) || isInterfaceType(type)) {
    const field = type.getFields()[memberName];
    if (!field) return absent;
    if (argName === undefined) {
      const args = field.args.length > 0 ? `(${field.args.map(printArgument).join(', ')})` : '';
      return `${type.name}.${field.name}${args}: ${String(field.type)}`;
    }
    const arg = field.args.find((a) => a.name === argName);
    return arg ? `argument ${coordinate}: ${printArgumentType(arg)}` : absent;
  }
  if (isInputObjectType(type)) {
    const field = type.getFields()[memberName];
    return field ? `${coordinate}: ${String(field.type)}` : absent;
  }
  if (isEnumType(type)) return type.getValue(memberName) ? `enum value ${coordinate}` : absent;
  return absent;
}

const printArgumentType = (arg: GraphQLArgument): string =>
  `${String(arg.type)}${arg.defaultValue === undefined ? '' : ` = ${JSON.stringify(arg.defaultValue)}`}`;

const printArgument = (arg: GraphQLArgument): string => `${arg.name}: ${printArgumentType(arg)}`;

const kindOf = (type: GraphQLNamedType): string => {
  if (isObjectType(type)) return 'type';
  if (isInterfaceType(type)) return 'interface';
  if (isInputObjectType(type)) return 'input';
  if (isEnumType(type)) return 'enum';
  if (isUnionType(type)) return 'union';
  return 'scalar';
};
