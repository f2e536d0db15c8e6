import type { Services } from "../../services.server";
import type { RaiseTaskInput } from "../tasks.server";

/**
 * Raise a Task whose cause another worker may be clearing at this very moment (a held order that Mirakl just
 * refused, a SKU just mapped). The clearing side updates its row first and resolves the Task second, so checking
 * the cause again *after* raising closes the gap: whichever order the two run in, a Task without a cause does not
 * stay open (raise() reopens a resolved Task, so a check before raising would not be enough).
 */
export async function raiseWhileTrue(services: Pick<Services, "tasks">, input: RaiseTaskInput, stillTrue: () => Promise<boolean>): Promise<void> {
  await services.tasks.raise(input);
  if (!(await stillTrue())) await services.tasks.resolve({ shop: input.shop, dedupeKey: input.dedupeKey });
}

export function stillHeldAtAcceptance(services: Pick<Services, "prisma">, orderLinkId: string): () => Promise<boolean> {
  return async () => (await services.prisma.orderLink.count({ where: { id: orderLinkId, acceptanceStatus: "HELD", miraklState: "WAITING_ACCEPTANCE" } })) > 0;
}
