/**
 * Vitest helpers for the simulator's tests: both contract checks as one assertion.
 */
import { expect } from "vitest";
import { validateResponse } from "../../contract/mirakl-spec";
import { validateResponseRequired } from "./contract-required";

export { call, startTestSim, stockCsv, multipartFile, type ApiResponse } from "./test-client";
export { validateResponseRequired } from "./contract-required";

/** Both contract checks: lenient (as the project's contract module) and required-fields. */
export function expectContract(operationId: string, status: number, body: unknown): void {
  const lenient = validateResponse(operationId, status, body);
  expect(lenient.errors, `${operationId} ${status} lenient`).toEqual([]);
  const strict = validateResponseRequired(operationId, status, body);
  expect(strict.errors, `${operationId} ${status} required fields`).toEqual([]);
}

