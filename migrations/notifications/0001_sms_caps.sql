-- SMS send caps (issue 12, no SMS pumping): one row per SMS admitted to the provider, so a
-- single INSERT … SELECT … WHERE (count for this number) < cap AND (count for its country
-- calling code) < cap admits or refuses a send atomically, over a sliding hour. Rows older
-- than the window are pruned as new ones arrive.
CREATE TABLE `sms_sends` (
	`delivery_id` text PRIMARY KEY NOT NULL,
	`recipient` text NOT NULL,
	`country_code` text NOT NULL,
	`sent_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sms_sends_recipient_time` ON `sms_sends` (`recipient`,`sent_at`);--> statement-breakpoint
CREATE INDEX `sms_sends_country_time` ON `sms_sends` (`country_code`,`sent_at`);--> statement-breakpoint
CREATE INDEX `sms_sends_time` ON `sms_sends` (`sent_at`);
