CREATE TABLE `markets` (
	`code` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`currency` text NOT NULL,
	`countries` text DEFAULT '[]' NOT NULL,
	`is_default` integer DEFAULT false NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT "markets_code_format" CHECK(length("markets"."code") BETWEEN 2 AND 8 AND "markets"."code" NOT GLOB '*[^a-z0-9]*')
);
--> statement-breakpoint
CREATE UNIQUE INDEX `markets_one_default` ON `markets` (`is_default`) WHERE `is_default` = 1;--> statement-breakpoint
CREATE TABLE `variant_prices` (
	`variant_id` text NOT NULL,
	`market` text NOT NULL,
	`amount` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`variant_id`, `market`),
	FOREIGN KEY (`variant_id`) REFERENCES `product_variants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`market`) REFERENCES `markets`(`code`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "variant_prices_amount_nonnegative" CHECK("variant_prices"."amount" >= 0)
);
--> statement-breakpoint
CREATE INDEX `variant_prices_market` ON `variant_prices` (`market`,`variant_id`);--> statement-breakpoint

-- The default market (ADR 0032): what the shop sold in before markets, priced in the variants'
-- own prices. Other markets are admin data (the seed adds the euro area and the UK).
INSERT OR IGNORE INTO `markets` (`code`, `name`, `currency`, `countries`, `is_default`, `position`, `created_at`, `updated_at`)
VALUES ('us', 'United States', 'USD', '["US"]', 1, 0, 0, 0);
