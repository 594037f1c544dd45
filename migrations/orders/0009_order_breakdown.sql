-- How each order's total was reached (ADR 0035): the PriceBreakdown JSON (lines, discounts,
-- shipping, tax, grand total) priced when stock was held. Null for orders placed without a
-- shipping method (before ADR 0035, or a deprecated client): their total is the sum of lines.
ALTER TABLE `orders` ADD `breakdown` text;
