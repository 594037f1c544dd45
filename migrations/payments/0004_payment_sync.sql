-- Reconciliation (issue 11, item 5).
-- 1. `next_sync_at`: when the sync job may next ask the provider about an open payment. Each
--    check pushes it out (backing off with the payment's age), so payments that stay open for
--    days (bank debits) take turns with new ones instead of filling every bounded batch.
-- 2. An index on (updated_at, id) for `settledSince`, the keyset-paged feed of payments that took
--    money, which orders' reconciliation reads from the time of its last run.
ALTER TABLE `payments` ADD `next_sync_at` text;
--> statement-breakpoint
CREATE INDEX `payments_updated_idx` ON `payments` (`updated_at`, `id`);
