import { BlockStack, Card, FormLayout, Layout, Text, TextField } from "@shopify/polaris";
import { SYNC_SCHEDULE, type SyncScheduleField } from "../sync/sync-schedule";

export type SyncScheduleValues = Record<SyncScheduleField, string>;

/** Grouped by what the merchant thinks about (orders, stock, shipments), not by how the jobs are organised. */
const GROUPS: { title: string; fields: SyncScheduleField[] }[] = [
  { title: "Orders", fields: ["pollIntervalSeconds", "backfillHours"] },
  { title: "Stock", fields: ["stockPushIntervalSeconds", "reconcileIntervalMinutes"] },
  { title: "Shipments", fields: ["unacknowledgedShipmentMinutes"] },
];

/**
 * The marketplace settings screen's "Sync schedule": every cadence a merchant may change, each with what it does
 * and its limits (the same numbers the server validates, from app/sync/sync-schedule.ts).
 */
export function SyncScheduleSection({
  values,
  errors,
  onChange,
}: {
  values: SyncScheduleValues;
  errors: Partial<Record<string, string>>;
  onChange: (field: SyncScheduleField, value: string) => void;
}) {
  return (
    <Layout.AnnotatedSection
      title="Sync schedule"
      description="How often we check this marketplace and send it updates. A change applies from the next scheduled run (within a minute); nothing needs restarting."
    >
      <Card>
        <BlockStack gap="400">
          {GROUPS.map((group) => (
            <BlockStack key={group.title} gap="200">
              <Text as="h3" variant="headingSm">
                {group.title}
              </Text>
              <FormLayout>
                {group.fields.map((field) => (
                  <TextField
                    key={field}
                    label={SYNC_SCHEDULE[field].label}
                    type="number"
                    inputMode="numeric"
                    value={values[field]}
                    onChange={(value) => onChange(field, value)}
                    autoComplete="off"
                    helpText={SYNC_SCHEDULE[field].help}
                    error={errors[field]}
                  />
                ))}
              </FormLayout>
            </BlockStack>
          ))}
        </BlockStack>
      </Card>
    </Layout.AnnotatedSection>
  );
}
