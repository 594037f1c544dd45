-- Defence in depth for the payment state machine: application writes are already conditional
-- (UPDATE … WHERE status IN (allowed predecessors)); this refuses any other write that would
-- move a status backwards or out of a terminal state.
CREATE TRIGGER payments_status_forward_only
BEFORE UPDATE OF status ON payments
WHEN NEW.status <> OLD.status AND NOT (
  (OLD.status = 'requires_payment' AND NEW.status IN ('processing', 'succeeded', 'failed', 'cancelled'))
  OR (OLD.status = 'processing' AND NEW.status IN ('succeeded', 'failed', 'cancelled'))
  OR (OLD.status IN ('succeeded', 'partially_refunded') AND NEW.status IN ('partially_refunded', 'refunded'))
)
BEGIN
  SELECT RAISE(ABORT, 'payment status cannot move backwards');
END;
