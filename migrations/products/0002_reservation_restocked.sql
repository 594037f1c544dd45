PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_reservations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`hold_id` text NOT NULL,
	`order_id` text NOT NULL,
	`product_id` text NOT NULL,
	`quantity` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`state` text DEFAULT 'active' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "reservations_quantity_positive" CHECK("__new_reservations"."quantity" > 0),
	CONSTRAINT "reservations_state_known" CHECK("__new_reservations"."state" IN ('active', 'committed', 'released', 'expired', 'restocked'))
);
--> statement-breakpoint
INSERT INTO `__new_reservations`("id", "hold_id", "order_id", "product_id", "quantity", "expires_at", "state", "created_at", "updated_at") SELECT "id", "hold_id", "order_id", "product_id", "quantity", "expires_at", "state", "created_at", "updated_at" FROM `reservations`;--> statement-breakpoint
DROP TABLE `reservations`;--> statement-breakpoint
ALTER TABLE `__new_reservations` RENAME TO `reservations`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `reservations_order_product` ON `reservations` (`order_id`,`product_id`);--> statement-breakpoint
CREATE INDEX `reservations_state_expiry` ON `reservations` (`state`,`expires_at`);--> statement-breakpoint

-- Rebuilding the table dropped its triggers; they come back here, unchanged but for the
-- state guard, which now also allows committed → restocked (a cancelled sale's units go back).
CREATE TRIGGER reservations_require_active_product BEFORE INSERT ON reservations
WHEN NOT EXISTS (
  SELECT 1 FROM products p JOIN inventory i ON i.product_id = p.id
  WHERE p.id = NEW.product_id AND p.status = 'active'
)
BEGIN
  SELECT RAISE(ABORT, 'reservation_product_unavailable');
END;
--> statement-breakpoint
CREATE TRIGGER reservations_one_hold_per_order BEFORE INSERT ON reservations
WHEN EXISTS (SELECT 1 FROM reservations WHERE order_id = NEW.order_id AND hold_id <> NEW.hold_id)
BEGIN
  SELECT RAISE(ABORT, 'reservation_order_exists');
END;
--> statement-breakpoint
-- The only moves: active → committed | released | expired, and committed → restocked.
-- Everything else (released, expired, restocked) is final.
CREATE TRIGGER reservations_terminal_states BEFORE UPDATE OF state ON reservations
WHEN NEW.state <> OLD.state AND NOT (
  (OLD.state = 'active' AND NEW.state IN ('committed', 'released', 'expired'))
  OR (OLD.state = 'committed' AND NEW.state = 'restocked')
)
BEGIN
  SELECT RAISE(ABORT, 'reservation_state_final');
END;
