-- GET /api/relays pages through the registered relays in registration order, by keyset: (created_at, id) after the
-- previous page's last row. This index serves each page as a range scan, however many relays are registered.
CREATE INDEX gateway_relays_created ON gateway_relays (created_at, id);
