-- Dead letters take the runtime's shared shape (ADR 0019; packages/runtime/src/dead-letters/table.ts):
-- the shared columns are added next to this worker's own. Expand (ADR 0014): `deaths`,
-- `created_at` and `updated_at` stay (the new code still fills the last two) until a later release
-- drops them; `source`, `user_id` and `type` are this worker's own and stay.
ALTER TABLE `dead_letters` ADD COLUMN `queue` text DEFAULT 'notifications' NOT NULL;
--> statement-breakpoint
ALTER TABLE `dead_letters` ADD COLUMN `attempts` integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
ALTER TABLE `dead_letters` ADD COLUMN `deliveries` integer DEFAULT 1 NOT NULL;
--> statement-breakpoint
ALTER TABLE `dead_letters` ADD COLUMN `first_seen_at` integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
ALTER TABLE `dead_letters` ADD COLUMN `last_seen_at` integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
ALTER TABLE `dead_letters` ADD COLUMN `replay_outcome` text;
--> statement-breakpoint
-- Backfill. A replay before this release put the message back on the queue: its outcome is
-- `queued` (without one, the shared code would take the replay for a crashed one after its lease).
UPDATE `dead_letters` SET `deliveries` = `deaths`, `first_seen_at` = `created_at`, `last_seen_at` = `updated_at`,
  `replay_outcome` = CASE WHEN `status` = 'replayed' THEN 'queued' END;
--> statement-breakpoint
-- The shared dedupe key is `<queue>:<message id>` (the delivery id when the body has none). A
-- key that would collide with another row's keeps its old form (that message stays one row).
UPDATE OR IGNORE `dead_letters`
  SET `dedupe_key` = 'notifications:' || coalesce(`message_id`, substr(`dedupe_key`, instr(`dedupe_key`, ':') + 1));
--> statement-breakpoint
-- Rows the previous release still inserts during its deploy get the shared times too.
CREATE TRIGGER `dead_letters_expand` AFTER INSERT ON `dead_letters` WHEN NEW.`first_seen_at` = 0
BEGIN
  UPDATE `dead_letters` SET `first_seen_at` = NEW.`created_at`, `last_seen_at` = NEW.`updated_at` WHERE `id` = NEW.`id`;
END;
