-- Order numbers for people (ADR 0013): `#10042` in emails, SMS and pages, searchable by admins.
-- Orders placed from now on get a number ≥ 10000 from the allocator shards (OrderNumberDO).
-- Existing rows are numbered deterministically below that, in creation order (ids are ULIDs,
-- so id order is creation order): the first order ever is #1. The unique index makes a
-- collision impossible, and a history of 10000 orders or more (whose numbers would reach the
-- allocator's) fails the guard below, so the migration fails as a whole instead of later
-- handing out a number twice.
CREATE TABLE `order_numbers_backfill_guard` (`legacy_orders` integer NOT NULL CHECK (`legacy_orders` < 10000));
--> statement-breakpoint
INSERT INTO `order_numbers_backfill_guard` SELECT count(*) FROM `orders`;
--> statement-breakpoint
DROP TABLE `order_numbers_backfill_guard`;
--> statement-breakpoint
ALTER TABLE `orders` ADD COLUMN `number` integer;
--> statement-breakpoint
UPDATE `orders` SET `number` = `ranked`.`n`
FROM (SELECT `id`, row_number() OVER (ORDER BY `id`) AS `n` FROM `orders`) AS `ranked`
WHERE `ranked`.`id` = `orders`.`id` AND `orders`.`number` IS NULL;
--> statement-breakpoint
CREATE UNIQUE INDEX `orders_number_unique` ON `orders` (`number`);
