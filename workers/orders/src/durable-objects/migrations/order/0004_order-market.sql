-- The market an order is placed in (ADR 0032); orders from before markets keep NULL (the default market).
ALTER TABLE `order_state` ADD `market` text;