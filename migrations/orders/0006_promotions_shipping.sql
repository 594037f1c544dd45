-- Promotions, their redemption ledger, and shipping zones and methods (ADR 0033).
-- Expand only (ADR 0014): new tables, nothing the previous release reads changes.

-- A promotion: `code` upper-cased (null: automatic), `definition` the JSON of what pricing needs
-- (discount, target, minimum, dates, exclusive; validated by @shop/contracts on the way in).
-- `uses` counts claimed redemptions; the CHECK is what keeps it within `usage_limit` under any
-- concurrency: the claim that would pass the limit fails and its whole batch rolls back.
CREATE TABLE `promotions` (
	`id` text PRIMARY KEY NOT NULL,
	`code` text,
	`name` text NOT NULL,
	`definition` text NOT NULL,
	`usage_limit` integer CHECK (`usage_limit` IS NULL OR `usage_limit` >= 1),
	`per_customer_limit` integer CHECK (`per_customer_limit` IS NULL OR `per_customer_limit` >= 1),
	`uses` integer DEFAULT 0 NOT NULL CHECK (`uses` >= 0 AND (`usage_limit` IS NULL OR `uses` <= `usage_limit`)),
	`active` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `promotions_code_unique` ON `promotions` (`code`) WHERE `code` IS NOT NULL;
--> statement-breakpoint
-- One row per (promotion, order): claimed when the order is committed, released when it is
-- cancelled or refunded in full. The primary key makes a repeated claim a no-op.
CREATE TABLE `promotion_redemptions` (
	`promotion_id` text NOT NULL REFERENCES `promotions`(`id`),
	`order_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`state` text NOT NULL CHECK (`state` IN ('claimed', 'released')),
	`claimed_at` text NOT NULL,
	`released_at` text,
	PRIMARY KEY (`promotion_id`, `order_id`)
);
--> statement-breakpoint
CREATE INDEX `promotion_redemptions_customer_idx` ON `promotion_redemptions` (`promotion_id`, `customer_id`, `state`);
--> statement-breakpoint
CREATE INDEX `promotion_redemptions_order_idx` ON `promotion_redemptions` (`order_id`, `state`);
--> statement-breakpoint
-- The per-customer limit, enforced where the rows are: a new claim (not a repeat of this order's)
-- when the customer already holds `per_customer_limit` claimed uses aborts its batch.
CREATE TRIGGER `promotion_redemptions_per_customer` BEFORE INSERT ON `promotion_redemptions`
WHEN NOT EXISTS (
	SELECT 1 FROM `promotion_redemptions` WHERE `promotion_id` = NEW.`promotion_id` AND `order_id` = NEW.`order_id`
) AND (SELECT `per_customer_limit` FROM `promotions` WHERE `id` = NEW.`promotion_id`) IS NOT NULL
AND (
	SELECT COUNT(*) FROM `promotion_redemptions`
	WHERE `promotion_id` = NEW.`promotion_id` AND `customer_id` = NEW.`customer_id` AND `state` = 'claimed'
) >= (SELECT `per_customer_limit` FROM `promotions` WHERE `id` = NEW.`promotion_id`)
BEGIN
	SELECT RAISE(ABORT, 'promotion_per_customer_limit');
END;
--> statement-breakpoint
-- The counter follows the ledger: +1 per claim (the CHECK on `uses` refuses the one past the limit)…
CREATE TRIGGER `promotion_redemptions_count_claim` AFTER INSERT ON `promotion_redemptions`
WHEN NEW.`state` = 'claimed'
BEGIN
	UPDATE `promotions` SET `uses` = `uses` + 1 WHERE `id` = NEW.`promotion_id`;
END;
--> statement-breakpoint
-- …and −1 per release, once: only the claimed → released transition gives a use back.
CREATE TRIGGER `promotion_redemptions_count_release` AFTER UPDATE OF `state` ON `promotion_redemptions`
WHEN OLD.`state` = 'claimed' AND NEW.`state` = 'released'
BEGIN
	UPDATE `promotions` SET `uses` = `uses` - 1 WHERE `id` = NEW.`promotion_id`;
END;
--> statement-breakpoint
-- Shipping zones: a set of countries; `shipping_zone_countries` keeps a country in one zone at most.
CREATE TABLE `shipping_zones` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `shipping_zone_countries` (
	`country` text PRIMARY KEY NOT NULL,
	`zone_id` text NOT NULL REFERENCES `shipping_zones`(`id`) ON DELETE CASCADE
);
--> statement-breakpoint
CREATE INDEX `shipping_zone_countries_zone_idx` ON `shipping_zone_countries` (`zone_id`);
--> statement-breakpoint
-- A method of one zone; `rate` is the JSON of the contracts' ShippingRate (flat, free_above, weight).
CREATE TABLE `shipping_methods` (
	`id` text PRIMARY KEY NOT NULL,
	`zone_id` text NOT NULL REFERENCES `shipping_zones`(`id`),
	`name` text NOT NULL,
	`rate` text NOT NULL,
	`active` integer DEFAULT 1 NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `shipping_methods_zone_idx` ON `shipping_methods` (`zone_id`, `position`);
--> statement-breakpoint
-- The starting set (the pricing defaults of ADR 0028): US, EU, UK and the rest of the world.
-- The EU and UK methods also carry USD prices, because the seeded catalog sells in USD: a
-- method without a price in the cart's currency is not offered (ADR 0028, 7).
INSERT INTO `shipping_zones` (`id`, `name`, `updated_at`) VALUES
	('us', 'United States', '2026-11-30T00:00:00.000Z'),
	('eu', 'European Union', '2026-11-30T00:00:00.000Z'),
	('uk', 'United Kingdom', '2026-11-30T00:00:00.000Z'),
	('world', 'Rest of world', '2026-11-30T00:00:00.000Z');
--> statement-breakpoint
INSERT INTO `shipping_zone_countries` (`country`, `zone_id`) VALUES
	('US', 'us'),
	('AT', 'eu'), ('BE', 'eu'), ('DE', 'eu'), ('ES', 'eu'), ('FR', 'eu'), ('IE', 'eu'), ('IT', 'eu'), ('NL', 'eu'), ('SE', 'eu'),
	('GB', 'uk'),
	('AU', 'world'), ('CA', 'world'), ('CH', 'world'), ('JP', 'world');
--> statement-breakpoint
INSERT INTO `shipping_methods` (`id`, `zone_id`, `name`, `rate`, `position`, `updated_at`) VALUES
	('us-standard', 'us', 'Standard (free over $50)', '{"kind":"free_above","cost":{"USD":599},"threshold":{"USD":5000}}', 0, '2026-11-30T00:00:00.000Z'),
	('us-express', 'us', 'Express', '{"kind":"flat","cost":{"USD":1999}}', 1, '2026-11-30T00:00:00.000Z'),
	('eu-standard', 'eu', 'Standard (free over €60 or $70)', '{"kind":"free_above","cost":{"EUR":490,"USD":590},"threshold":{"EUR":6000,"USD":7000}}', 0, '2026-11-30T00:00:00.000Z'),
	('eu-express', 'eu', 'Express', '{"kind":"flat","cost":{"EUR":1490,"USD":1790}}', 1, '2026-11-30T00:00:00.000Z'),
	('uk-standard', 'uk', 'Standard', '{"kind":"flat","cost":{"GBP":395,"USD":499}}', 0, '2026-11-30T00:00:00.000Z'),
	('world-weight', 'world', 'International (by weight)', '{"kind":"weight","bands":[{"upToGrams":500,"cost":{"USD":1200,"EUR":1100,"GBP":950,"JPY":1800,"CHF":1100,"CAD":1600,"AUD":1800}},{"upToGrams":2000,"cost":{"USD":2500,"EUR":2300,"GBP":2000,"JPY":3800,"CHF":2300,"CAD":3400,"AUD":3800}},{"upToGrams":10000,"cost":{"USD":6000,"EUR":5500,"GBP":4800,"JPY":9000,"CHF":5500,"CAD":8000,"AUD":9000}}]}', 2, '2026-11-30T00:00:00.000Z');
