-- The market an order was placed in (ADR 0032), projected from its OrderDO like its currency.
-- Orders from before markets keep NULL: the default market.
ALTER TABLE `orders` ADD `market` text;
