/**
 * Field resolver used for every field: reads an own property of the view object (calling it with the field
 * arguments when it is a function). A field the simulator does not implement is not an own property and fails the
 * field loudly instead of resolving to null, so an app test can never pass on a field we silently skipped.
 */
import { GraphQLError, type GraphQLFieldResolver } from "graphql";

export const NOT_IMPLEMENTED = "SIMULATOR_NOT_IMPLEMENTED";

export const strictFieldResolver: GraphQLFieldResolver<unknown, unknown> = (source, args, context, info) => {
  if (source === null || typeof source !== "object" || !Object.prototype.hasOwnProperty.call(source, info.fieldName)) {
    throw new GraphQLError(
      `Shopify simulator: ${info.parentType.name}.${info.fieldName} is not implemented. Add it to the simulator (test/simulators/shopify) before relying on it.`,
      { extensions: { code: NOT_IMPLEMENTED } },
    );
  }
  const value = (source as Record<string, unknown>)[info.fieldName];
  if (typeof value === "function") {
    return (value as (a: unknown, c: unknown, i: unknown) => unknown).call(source, args, context, info);
  }
  return value;
};
