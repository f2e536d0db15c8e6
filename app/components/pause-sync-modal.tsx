import { BlockStack, List, Modal, Text } from "@shopify/polaris";
import { pauseEffects } from "../sync/connection-view";

/**
 * Confirms "Pause all sync" (marketplace settings and the marketplace's stock page). Polaris' own Modal, not App
 * Bridge's: it renders inside the app's frame, so it works the same embedded in the admin and in the demo.
 */
export function PauseSyncModal({
  open,
  connection,
  onConfirm,
  onClose,
}: {
  open: boolean;
  connection: { name: string; acceptanceWindowMinutes: number; marketplaceAutoAccepts: boolean };
  onConfirm: () => void;
  onClose: () => void;
}) {
  const effects = pauseEffects(connection);
  return (
    <Modal
      open={open}
      onClose={onClose}
      title={effects.title}
      primaryAction={{
        content: effects.confirm,
        destructive: true,
        onAction: () => {
          onClose();
          onConfirm();
        },
      }}
      secondaryActions={[{ content: "Keep syncing", onAction: onClose }]}
    >
      <Modal.Section>
        <BlockStack gap="300">
          <Text as="h3" variant="headingSm">
            What stops until you resume
          </Text>
          <List type="bullet">
            {effects.stops.map((s) => (
              <List.Item key={s}>{s}</List.Item>
            ))}
          </List>
          <Text as="h3" variant="headingSm">
            What carries on
          </Text>
          <List type="bullet">
            {effects.continues.map((s) => (
              <List.Item key={s}>{s}</List.Item>
            ))}
          </List>
        </BlockStack>
      </Modal.Section>
    </Modal>
  );
}
