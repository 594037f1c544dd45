-- The one row of catalog_state: edge-cache keys embed (version, stamp).
INSERT INTO catalog_state (id, version, stamp) VALUES (1, 1, lower(hex(randomblob(8))));
--> statement-breakpoint

-- Full-text index over name + description, kept in sync by triggers (so seeds and admin
-- writes need no extra statement). Keyed by product_id rather than rowid: a text-keyed
-- table's rowid is not guaranteed stable.
CREATE VIRTUAL TABLE products_fts USING fts5(product_id UNINDEXED, name, description, tokenize = 'unicode61 remove_diacritics 2');
--> statement-breakpoint
CREATE TRIGGER products_fts_after_insert AFTER INSERT ON products BEGIN
  INSERT INTO products_fts (product_id, name, description) VALUES (NEW.id, NEW.name, NEW.description);
END;
--> statement-breakpoint
CREATE TRIGGER products_fts_after_update AFTER UPDATE OF name, description ON products BEGIN
  DELETE FROM products_fts WHERE product_id = OLD.id;
  INSERT INTO products_fts (product_id, name, description) VALUES (NEW.id, NEW.name, NEW.description);
END;
--> statement-breakpoint
CREATE TRIGGER products_fts_after_delete AFTER DELETE ON products BEGIN
  DELETE FROM products_fts WHERE product_id = OLD.id;
END;
--> statement-breakpoint

-- Reservations only for products that exist, are on sale and have an inventory row.
-- RAISE(ABORT) fails the statement, so the whole reserve batch rolls back.
CREATE TRIGGER reservations_require_active_product BEFORE INSERT ON reservations
WHEN NOT EXISTS (
  SELECT 1 FROM products p JOIN inventory i ON i.product_id = p.id
  WHERE p.id = NEW.product_id AND p.status = 'active'
)
BEGIN
  SELECT RAISE(ABORT, 'reservation_product_unavailable');
END;
--> statement-breakpoint
-- Idempotency by order: rows of one order come from one reserve call (one hold_id).
-- A second call for the same order aborts, and the caller replays the first.
CREATE TRIGGER reservations_one_hold_per_order BEFORE INSERT ON reservations
WHEN EXISTS (SELECT 1 FROM reservations WHERE order_id = NEW.order_id AND hold_id <> NEW.hold_id)
BEGIN
  SELECT RAISE(ABORT, 'reservation_order_exists');
END;
--> statement-breakpoint
-- Terminal states stay terminal: only an active reservation may change state.
CREATE TRIGGER reservations_terminal_states BEFORE UPDATE OF state ON reservations
WHEN OLD.state <> 'active' AND NEW.state <> OLD.state
BEGIN
  SELECT RAISE(ABORT, 'reservation_state_final');
END;
