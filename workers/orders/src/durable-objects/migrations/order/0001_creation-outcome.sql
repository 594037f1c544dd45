-- How placing ended becomes a domain outcome (ADR 0020): an order's stored first answer to
-- POST /orders was an HTTP status and body; it is now a CreationOutcome, which the route maps
-- to HTTP. 201 → placed (the order as it was answered); 4xx/5xx → refused (the problem's code,
-- detail, field errors and, for missing stock, its lines). The old columns stay until a later
-- migration (expand/contract, ADR 0014): a rolled-back release still reads and writes them.
ALTER TABLE `order_state` ADD `creation` text;
--> statement-breakpoint
UPDATE `order_state` SET `creation` = CASE
  WHEN `creation_status` IS NULL OR `creation_body` IS NULL THEN NULL
  WHEN `creation_status` < 300 THEN json_object('kind', 'placed', 'order', json(json_extract(`creation_body`, '$.body')))
  ELSE json_object(
    'kind', 'refused',
    'code', json_extract(`creation_body`, '$.body.code'),
    'detail', coalesce(json_extract(`creation_body`, '$.body.detail'), ''),
    'errors', json(coalesce(json_extract(`creation_body`, '$.body.errors'), '[]')),
    'lines', json(json_extract(`creation_body`, '$.body.lines')))
END;
