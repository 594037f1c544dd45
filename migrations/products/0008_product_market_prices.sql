-- A product's price per non-default market, derived (ADR 0036): the default variant's price
-- there, else the cheapest variant on sale priced there. Catalog reads used to work it out per
-- row with a sorted subquery over variant_prices, several times per row (filter, sort, price
-- bands), which made a market's uncached page 20x slower than the default market's. Triggers
-- keep it in step in the writing statement's transaction; each recomputes one product (a few
-- rows). Hand-written after drizzle-kit's table: the triggers and the backfill.
CREATE TABLE `product_market_prices` (
	`product_id` text NOT NULL,
	`market` text NOT NULL,
	`amount` integer NOT NULL,
	PRIMARY KEY(`product_id`, `market`)
);
--> statement-breakpoint
CREATE INDEX `product_market_prices_market_amount` ON `product_market_prices` (`market`,`amount`);--> statement-breakpoint
INSERT INTO product_market_prices (product_id, market, amount)
  SELECT product_id, market, amount FROM (
    SELECT v.product_id, vp.market, vp.amount,
      ROW_NUMBER() OVER (PARTITION BY v.product_id, vp.market ORDER BY v.id = 'var_' || substr(v.product_id, 5) DESC, vp.amount, v.id) AS pick
    FROM variant_prices vp JOIN product_variants v ON v.id = vp.variant_id
    WHERE v.status = 'active'
  ) WHERE pick = 1;--> statement-breakpoint
CREATE TRIGGER product_market_prices_on_price_insert AFTER INSERT ON variant_prices BEGIN
  DELETE FROM product_market_prices WHERE product_id = (SELECT product_id FROM product_variants WHERE id = NEW.variant_id);
  INSERT INTO product_market_prices (product_id, market, amount)
    SELECT product_id, market, amount FROM (
      SELECT v.product_id, vp.market, vp.amount,
        ROW_NUMBER() OVER (PARTITION BY vp.market ORDER BY v.id = 'var_' || substr(v.product_id, 5) DESC, vp.amount, v.id) AS pick
      FROM variant_prices vp JOIN product_variants v ON v.id = vp.variant_id
      WHERE v.product_id = (SELECT product_id FROM product_variants WHERE id = NEW.variant_id) AND v.status = 'active'
    ) WHERE pick = 1;
END;--> statement-breakpoint
CREATE TRIGGER product_market_prices_on_price_update AFTER UPDATE OF variant_id, market, amount ON variant_prices BEGIN
  DELETE FROM product_market_prices WHERE product_id = (SELECT product_id FROM product_variants WHERE id = OLD.variant_id);
  INSERT INTO product_market_prices (product_id, market, amount)
    SELECT product_id, market, amount FROM (
      SELECT v.product_id, vp.market, vp.amount,
        ROW_NUMBER() OVER (PARTITION BY vp.market ORDER BY v.id = 'var_' || substr(v.product_id, 5) DESC, vp.amount, v.id) AS pick
      FROM variant_prices vp JOIN product_variants v ON v.id = vp.variant_id
      WHERE v.product_id = (SELECT product_id FROM product_variants WHERE id = OLD.variant_id) AND v.status = 'active'
    ) WHERE pick = 1;
  DELETE FROM product_market_prices WHERE product_id = (SELECT product_id FROM product_variants WHERE id = NEW.variant_id);
  INSERT INTO product_market_prices (product_id, market, amount)
    SELECT product_id, market, amount FROM (
      SELECT v.product_id, vp.market, vp.amount,
        ROW_NUMBER() OVER (PARTITION BY vp.market ORDER BY v.id = 'var_' || substr(v.product_id, 5) DESC, vp.amount, v.id) AS pick
      FROM variant_prices vp JOIN product_variants v ON v.id = vp.variant_id
      WHERE v.product_id = (SELECT product_id FROM product_variants WHERE id = NEW.variant_id) AND v.status = 'active'
    ) WHERE pick = 1;
END;--> statement-breakpoint
CREATE TRIGGER product_market_prices_on_price_delete AFTER DELETE ON variant_prices BEGIN
  DELETE FROM product_market_prices WHERE product_id = (SELECT product_id FROM product_variants WHERE id = OLD.variant_id);
  INSERT INTO product_market_prices (product_id, market, amount)
    SELECT product_id, market, amount FROM (
      SELECT v.product_id, vp.market, vp.amount,
        ROW_NUMBER() OVER (PARTITION BY vp.market ORDER BY v.id = 'var_' || substr(v.product_id, 5) DESC, vp.amount, v.id) AS pick
      FROM variant_prices vp JOIN product_variants v ON v.id = vp.variant_id
      WHERE v.product_id = (SELECT product_id FROM product_variants WHERE id = OLD.variant_id) AND v.status = 'active'
    ) WHERE pick = 1;
END;--> statement-breakpoint
CREATE TRIGGER product_market_prices_on_variant_update AFTER UPDATE OF id, product_id, status ON product_variants BEGIN
  DELETE FROM product_market_prices WHERE product_id = OLD.product_id;
  INSERT INTO product_market_prices (product_id, market, amount)
    SELECT product_id, market, amount FROM (
      SELECT v.product_id, vp.market, vp.amount,
        ROW_NUMBER() OVER (PARTITION BY vp.market ORDER BY v.id = 'var_' || substr(v.product_id, 5) DESC, vp.amount, v.id) AS pick
      FROM variant_prices vp JOIN product_variants v ON v.id = vp.variant_id
      WHERE v.product_id = OLD.product_id AND v.status = 'active'
    ) WHERE pick = 1;
  DELETE FROM product_market_prices WHERE product_id = NEW.product_id;
  INSERT INTO product_market_prices (product_id, market, amount)
    SELECT product_id, market, amount FROM (
      SELECT v.product_id, vp.market, vp.amount,
        ROW_NUMBER() OVER (PARTITION BY vp.market ORDER BY v.id = 'var_' || substr(v.product_id, 5) DESC, vp.amount, v.id) AS pick
      FROM variant_prices vp JOIN product_variants v ON v.id = vp.variant_id
      WHERE v.product_id = NEW.product_id AND v.status = 'active'
    ) WHERE pick = 1;
END;--> statement-breakpoint
CREATE TRIGGER product_market_prices_on_variant_delete AFTER DELETE ON product_variants BEGIN
  DELETE FROM product_market_prices WHERE product_id = OLD.product_id;
  INSERT INTO product_market_prices (product_id, market, amount)
    SELECT product_id, market, amount FROM (
      SELECT v.product_id, vp.market, vp.amount,
        ROW_NUMBER() OVER (PARTITION BY vp.market ORDER BY v.id = 'var_' || substr(v.product_id, 5) DESC, vp.amount, v.id) AS pick
      FROM variant_prices vp JOIN product_variants v ON v.id = vp.variant_id
      WHERE v.product_id = OLD.product_id AND v.status = 'active'
    ) WHERE pick = 1;
END;
