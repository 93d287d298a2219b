/**
 * The schema, as an ordered list of migrations. A released migration is never edited: a change is a new
 * entry with the next version, so every database can be brought forward from whatever version it holds.
 *
 * Both engines get the same tables and keys; only the types differ. SQLite keeps instants as integer epoch
 * milliseconds and JSON as text; PostgreSQL uses timestamptz, bigint and json (json, not jsonb, so the
 * ERP's metadata and the signed form fields come back byte for byte in their original key order).
 */

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sqlite: string;
  readonly postgres: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'checkouts, holds, confirmations, outbox',
    sqlite: `
      CREATE TABLE checkouts (
        reference        TEXT PRIMARY KEY,
        merchant_id      TEXT NOT NULL,
        idempotency_key  TEXT NOT NULL,
        request_hash     TEXT NOT NULL,
        status           TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'declined', 'expired', 'error')),
        currency         TEXT NOT NULL,
        amount           INTEGER NOT NULL,
        action           TEXT NOT NULL,
        fields           TEXT NOT NULL,
        comment          TEXT,
        delivery_address TEXT,
        created_at       INTEGER NOT NULL,
        updated_at       INTEGER NOT NULL,
        hold_until       INTEGER NOT NULL,
        payu_reference   TEXT,
        transaction_id   TEXT,
        UNIQUE (merchant_id, idempotency_key)
      ) STRICT;
      CREATE INDEX checkouts_pending_hold ON checkouts (hold_until) WHERE status = 'pending';

      CREATE TABLE checkout_items (
        reference   TEXT NOT NULL REFERENCES checkouts (reference) ON DELETE CASCADE,
        position    INTEGER NOT NULL,
        merchant_id TEXT NOT NULL,
        ref         TEXT NOT NULL,
        description TEXT NOT NULL,
        amount      INTEGER NOT NULL,
        metadata    TEXT,
        webhook_url TEXT,
        PRIMARY KEY (reference, position)
      ) STRICT;
      CREATE INDEX checkout_items_merchant_ref ON checkout_items (merchant_id, ref);

      CREATE TABLE item_holds (
        merchant_id TEXT NOT NULL,
        ref         TEXT NOT NULL,
        reference   TEXT NOT NULL REFERENCES checkouts (reference) ON DELETE CASCADE,
        hold_until  INTEGER NOT NULL,
        PRIMARY KEY (merchant_id, ref)
      ) STRICT;
      CREATE INDEX item_holds_reference ON item_holds (reference);

      CREATE TABLE payu_transactions (
        transaction_id TEXT PRIMARY KEY,
        reference      TEXT NOT NULL REFERENCES checkouts (reference) ON DELETE CASCADE,
        status         TEXT NOT NULL,
        received_at    INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX payu_transactions_reference ON payu_transactions (reference);

      CREATE TABLE outbox (
        id              INTEGER PRIMARY KEY AUTOINCREMENT,
        message_id      TEXT NOT NULL,
        merchant_id     TEXT NOT NULL,
        url             TEXT NOT NULL,
        body            TEXT NOT NULL,
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        locked_until    INTEGER,
        delivered_at    INTEGER,
        last_error      TEXT,
        created_at      INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE delivered_at IS NULL;
    `,
    postgres: `
      CREATE TABLE checkouts (
        reference        text PRIMARY KEY,
        merchant_id      text NOT NULL,
        idempotency_key  text NOT NULL,
        request_hash     text NOT NULL,
        status           text NOT NULL CHECK (status IN ('pending', 'approved', 'declined', 'expired', 'error')),
        currency         text NOT NULL,
        amount           bigint NOT NULL,
        action           text NOT NULL,
        fields           json NOT NULL,
        comment          text,
        delivery_address json,
        created_at       timestamptz NOT NULL,
        updated_at       timestamptz NOT NULL,
        hold_until       timestamptz NOT NULL,
        payu_reference   text,
        transaction_id   text,
        UNIQUE (merchant_id, idempotency_key)
      );
      CREATE INDEX checkouts_pending_hold ON checkouts (hold_until) WHERE status = 'pending';

      CREATE TABLE checkout_items (
        reference   text NOT NULL REFERENCES checkouts (reference) ON DELETE CASCADE,
        position    integer NOT NULL,
        merchant_id text NOT NULL,
        ref         text NOT NULL,
        description text NOT NULL,
        amount      bigint NOT NULL,
        metadata    json,
        webhook_url text,
        PRIMARY KEY (reference, position)
      );
      CREATE INDEX checkout_items_merchant_ref ON checkout_items (merchant_id, ref);

      CREATE TABLE item_holds (
        merchant_id text NOT NULL,
        ref         text NOT NULL,
        reference   text NOT NULL REFERENCES checkouts (reference) ON DELETE CASCADE,
        hold_until  timestamptz NOT NULL,
        PRIMARY KEY (merchant_id, ref)
      );
      CREATE INDEX item_holds_reference ON item_holds (reference);

      CREATE TABLE payu_transactions (
        transaction_id text PRIMARY KEY,
        reference      text NOT NULL REFERENCES checkouts (reference) ON DELETE CASCADE,
        status         text NOT NULL,
        received_at    timestamptz NOT NULL
      );
      CREATE INDEX payu_transactions_reference ON payu_transactions (reference);

      CREATE TABLE outbox (
        id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        message_id      text NOT NULL,
        merchant_id     text NOT NULL,
        url             text NOT NULL,
        body            text NOT NULL,
        attempts        integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        locked_until    timestamptz,
        delivered_at    timestamptz,
        last_error      text,
        created_at      timestamptz NOT NULL
      );
      CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE delivered_at IS NULL;
    `,
  },
  {
    version: 2,
    name: 'the status a checkout had before its last change',
    // Set by the same UPDATE that changes the status (SET previous_status = status reads the row as it is
    // when the update takes it), so a confirmation learns what it replaced without a second lock.
    sqlite: `
      ALTER TABLE checkouts ADD COLUMN previous_status TEXT;
    `,
    postgres: `
      ALTER TABLE checkouts ADD COLUMN previous_status text;
    `,
  },
  {
    version: 10,
    name: 'merchant charges, charge notifications due',
    sqlite: `
      CREATE TABLE charges (
        merchant_id        TEXT NOT NULL,
        external_reference TEXT NOT NULL,
        link_id            TEXT NOT NULL UNIQUE,
        process_id         TEXT NOT NULL,
        status             TEXT NOT NULL
          CHECK (status IN ('created', 'pending', 'scheduled', 'unlimit', 'cancelled', 'expired')),
        currency           TEXT NOT NULL,
        amount             INTEGER NOT NULL,
        payer_id_number    TEXT,
        reminder_date      TEXT,
        limit_date         TEXT,
        expiration         INTEGER NOT NULL,
        details            TEXT NOT NULL,
        idempotency_key    TEXT,
        request_hash       TEXT,
        version            INTEGER NOT NULL,
        created_at         INTEGER NOT NULL,
        updated_at         INTEGER NOT NULL,
        PRIMARY KEY (merchant_id, external_reference),
        UNIQUE (merchant_id, idempotency_key)
      ) STRICT;
      CREATE INDEX charges_payer ON charges (merchant_id, payer_id_number) WHERE payer_id_number IS NOT NULL;
      CREATE INDEX charges_newest ON charges (merchant_id, created_at DESC, external_reference DESC);
      CREATE INDEX charges_scheduled ON charges (merchant_id, reminder_date) WHERE status = 'scheduled';
      CREATE INDEX charges_expiring ON charges (merchant_id, limit_date) WHERE status = 'pending' AND expiration = 1;

      CREATE TABLE charge_notifications_due (
        id                 INTEGER PRIMARY KEY AUTOINCREMENT,
        merchant_id        TEXT NOT NULL,
        external_reference TEXT NOT NULL,
        kind               TEXT NOT NULL,
        dedupe_key         TEXT NOT NULL,
        channel            TEXT NOT NULL,
        template           TEXT,
        attempts           INTEGER NOT NULL DEFAULT 0,
        locked_until       INTEGER,
        sent_at            INTEGER,
        created_at         INTEGER NOT NULL,
        UNIQUE (merchant_id, external_reference, dedupe_key),
        FOREIGN KEY (merchant_id, external_reference) REFERENCES charges (merchant_id, external_reference)
      ) STRICT;
      CREATE INDEX charge_notifications_unsent ON charge_notifications_due (id) WHERE sent_at IS NULL;
    `,
    postgres: `
      CREATE TABLE charges (
        merchant_id        text NOT NULL,
        external_reference text NOT NULL,
        link_id            text NOT NULL UNIQUE,
        process_id         uuid NOT NULL,
        status             text NOT NULL
          CHECK (status IN ('created', 'pending', 'scheduled', 'unlimit', 'cancelled', 'expired')),
        currency           text NOT NULL,
        amount             bigint NOT NULL,
        payer_id_number    text,
        reminder_date      text,
        limit_date         text,
        expiration         boolean NOT NULL,
        details            json NOT NULL,
        idempotency_key    text,
        request_hash       text,
        version            integer NOT NULL,
        created_at         timestamptz NOT NULL,
        updated_at         timestamptz NOT NULL,
        PRIMARY KEY (merchant_id, external_reference),
        UNIQUE (merchant_id, idempotency_key)
      );
      CREATE INDEX charges_payer ON charges (merchant_id, payer_id_number) WHERE payer_id_number IS NOT NULL;
      CREATE INDEX charges_newest ON charges (merchant_id, created_at DESC, external_reference DESC);
      CREATE INDEX charges_scheduled ON charges (merchant_id, reminder_date) WHERE status = 'scheduled';
      CREATE INDEX charges_expiring ON charges (merchant_id, limit_date) WHERE status = 'pending' AND expiration;

      CREATE TABLE charge_notifications_due (
        id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        merchant_id        text NOT NULL,
        external_reference text NOT NULL,
        kind               text NOT NULL,
        dedupe_key         text NOT NULL,
        channel            text NOT NULL,
        template           text,
        attempts           integer NOT NULL DEFAULT 0,
        locked_until       timestamptz,
        sent_at            timestamptz,
        created_at         timestamptz NOT NULL,
        UNIQUE (merchant_id, external_reference, dedupe_key),
        FOREIGN KEY (merchant_id, external_reference) REFERENCES charges (merchant_id, external_reference)
      );
      CREATE INDEX charge_notifications_unsent ON charge_notifications_due (id) WHERE sent_at IS NULL;
    `,
  },
  {
    version: 12,
    // A payer's lookup reads that payer's charges in creation order: with the order in the index, SQLite's
    // planner no longer prefers charges_newest (all of the merchant's charges) to skip a sort.
    name: "charges by payer in creation order (the lookup's query)",
    sqlite: `
      DROP INDEX charges_payer;
      CREATE INDEX charges_payer ON charges (merchant_id, payer_id_number, created_at, external_reference)
        WHERE payer_id_number IS NOT NULL;
    `,
    postgres: `
      DROP INDEX charges_payer;
      CREATE INDEX charges_payer ON charges (merchant_id, payer_id_number, created_at, external_reference)
        WHERE payer_id_number IS NOT NULL;
    `,
  },
  {
    version: 13,
    // Charge notices and reminders go to the one notification outbox (docs/spec/merchant-charges.md
    // "Notifications"); `reminder_due_on` is the next local date on which the charge job looks at the charge's
    // reminder entries (null: none left), advanced by a guarded update so two instances handle a date once.
    name: 'charge reminders: next reminder date; charge notifications go to the notifications outbox',
    sqlite: `
      ALTER TABLE charges ADD COLUMN reminder_due_on TEXT;
      CREATE INDEX charges_reminders ON charges (merchant_id, reminder_due_on) WHERE reminder_due_on IS NOT NULL;
      DROP TABLE charge_notifications_due;
    `,
    postgres: `
      ALTER TABLE charges ADD COLUMN reminder_due_on text;
      CREATE INDEX charges_reminders ON charges (merchant_id, reminder_due_on) WHERE reminder_due_on IS NOT NULL;
      DROP TABLE charge_notifications_due;
    `,
  },
  {
    version: 20,
    name: 'withholdings per checkout item, receipt token and payment method per checkout',
    sqlite: `
      ALTER TABLE checkout_items ADD COLUMN withheld INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE checkout_items ADD COLUMN withholdings TEXT;
      ALTER TABLE checkouts ADD COLUMN receipt_token TEXT;
      ALTER TABLE checkouts ADD COLUMN payment_method TEXT;
      CREATE UNIQUE INDEX checkouts_receipt_token ON checkouts (receipt_token);
    `,
    postgres: `
      ALTER TABLE checkout_items ADD COLUMN withheld bigint NOT NULL DEFAULT 0;
      ALTER TABLE checkout_items ADD COLUMN withholdings json;
      ALTER TABLE checkouts ADD COLUMN receipt_token text;
      ALTER TABLE checkouts ADD COLUMN payment_method text;
      CREATE UNIQUE INDEX checkouts_receipt_token ON checkouts (receipt_token);
    `,
  },
  {
    version: 30,
    name: 'notifications outbox and collection contacts',
    sqlite: `
      CREATE TABLE notifications (
        id              INTEGER PRIMARY KEY AUTOINCREMENT,
        merchant_id     TEXT NOT NULL,
        dedupe_key      TEXT NOT NULL,
        kind            TEXT NOT NULL CHECK (kind IN ('statement', 'charge', 'reminder', 'receipt')),
        channel         TEXT NOT NULL CHECK (channel IN ('email', 'whatsapp')),
        recipient       TEXT NOT NULL,
        payer_key       TEXT NOT NULL,
        charge_id       TEXT,
        content         TEXT NOT NULL,
        status          TEXT NOT NULL CHECK (status IN ('queued', 'held', 'sent', 'delivered', 'read', 'failed')),
        hold_reason     TEXT,
        hold_detail     TEXT,
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        locked_until    INTEGER,
        provider_id     TEXT,
        last_error      TEXT,
        created_at      INTEGER NOT NULL,
        updated_at      INTEGER NOT NULL,
        sent_at         INTEGER,
        UNIQUE (merchant_id, dedupe_key)
      ) STRICT;
      CREATE INDEX notifications_due ON notifications (next_attempt_at, id) WHERE status IN ('queued', 'held');
      CREATE INDEX notifications_charge ON notifications (merchant_id, charge_id, id);
      CREATE INDEX notifications_provider ON notifications (provider_id) WHERE provider_id IS NOT NULL;

      CREATE TABLE collection_contacts (
        merchant_id     TEXT NOT NULL,
        payer_key       TEXT NOT NULL,
        day             TEXT NOT NULL,
        week            TEXT NOT NULL,
        channel         TEXT NOT NULL,
        notification_id INTEGER NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
        created_at      INTEGER NOT NULL,
        PRIMARY KEY (merchant_id, payer_key, day)
      ) STRICT;
      CREATE INDEX collection_contacts_week ON collection_contacts (merchant_id, payer_key, week);
    `,
    postgres: `
      CREATE TABLE notifications (
        id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        merchant_id     text NOT NULL,
        dedupe_key      text NOT NULL,
        kind            text NOT NULL CHECK (kind IN ('statement', 'charge', 'reminder', 'receipt')),
        channel         text NOT NULL CHECK (channel IN ('email', 'whatsapp')),
        recipient       text NOT NULL,
        payer_key       text NOT NULL,
        charge_id       text,
        content         text NOT NULL,
        status          text NOT NULL CHECK (status IN ('queued', 'held', 'sent', 'delivered', 'read', 'failed')),
        hold_reason     text,
        hold_detail     text,
        attempts        integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        locked_until    timestamptz,
        provider_id     text,
        last_error      text,
        created_at      timestamptz NOT NULL,
        updated_at      timestamptz NOT NULL,
        sent_at         timestamptz,
        UNIQUE (merchant_id, dedupe_key)
      );
      CREATE INDEX notifications_due ON notifications (next_attempt_at, id) WHERE status IN ('queued', 'held');
      CREATE INDEX notifications_charge ON notifications (merchant_id, charge_id, id);
      CREATE INDEX notifications_provider ON notifications (provider_id) WHERE provider_id IS NOT NULL;

      CREATE TABLE collection_contacts (
        merchant_id     text NOT NULL,
        payer_key       text NOT NULL,
        day             text NOT NULL,
        week            text NOT NULL,
        channel         text NOT NULL,
        notification_id bigint NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
        created_at      timestamptz NOT NULL,
        PRIMARY KEY (merchant_id, payer_key, day)
      );
      CREATE INDEX collection_contacts_week ON collection_contacts (merchant_id, payer_key, week);
    `,
  },
  {
    version: 40,
    name: 'returns, their items and audit trail',
    sqlite: `
      CREATE TABLE returns (
        id                  TEXT PRIMARY KEY,
        merchant_id         TEXT NOT NULL,
        reference           TEXT NOT NULL REFERENCES checkouts (reference),
        idempotency_key     TEXT NOT NULL,
        reason              TEXT NOT NULL,
        note                TEXT,
        currency            TEXT NOT NULL,
        amount              INTEGER NOT NULL CHECK (amount > 0),
        state               TEXT NOT NULL,
        route               TEXT NOT NULL,
        created_at          INTEGER NOT NULL,
        updated_at          INTEGER NOT NULL,
        next_action_at      INTEGER,
        locked_until        INTEGER,
        attempts            INTEGER NOT NULL DEFAULT 0,
        refund_declined     INTEGER NOT NULL DEFAULT 0,
        payment_order_id    TEXT UNIQUE,
        bank_account_id     TEXT,
        payout_state        TEXT,
        order_status        TEXT,
        in_bank_at          INTEGER,
        expected_arrival_at INTEGER,
        bank_details        TEXT,
        bank_masked         TEXT,
        failure             TEXT,
        UNIQUE (merchant_id, idempotency_key)
      ) STRICT;
      CREATE INDEX returns_by_reference ON returns (merchant_id, reference);
      CREATE INDEX returns_due ON returns (next_action_at) WHERE next_action_at IS NOT NULL;

      CREATE TABLE return_items (
        return_id   TEXT NOT NULL REFERENCES returns (id) ON DELETE CASCADE,
        merchant_id TEXT NOT NULL,
        ref         TEXT NOT NULL,
        amount      INTEGER NOT NULL,
        PRIMARY KEY (return_id, ref)
      ) STRICT;
      CREATE INDEX return_items_merchant_ref ON return_items (merchant_id, ref);

      CREATE TABLE return_events (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        return_id  TEXT NOT NULL REFERENCES returns (id) ON DELETE CASCADE,
        at         INTEGER NOT NULL,
        actor      TEXT NOT NULL,
        ip         TEXT,
        action     TEXT NOT NULL,
        from_state TEXT,
        to_state   TEXT,
        detail     TEXT,
        dedupe_key TEXT,
        UNIQUE (return_id, dedupe_key)
      ) STRICT;
    `,
    postgres: `
      CREATE TABLE returns (
        id                  text PRIMARY KEY,
        merchant_id         text NOT NULL,
        reference           text NOT NULL REFERENCES checkouts (reference),
        idempotency_key     text NOT NULL,
        reason              text NOT NULL,
        note                text,
        currency            text NOT NULL,
        amount              bigint NOT NULL CHECK (amount > 0),
        state               text NOT NULL,
        route               text NOT NULL,
        created_at          timestamptz NOT NULL,
        updated_at          timestamptz NOT NULL,
        next_action_at      timestamptz,
        locked_until        timestamptz,
        attempts            integer NOT NULL DEFAULT 0,
        refund_declined     boolean NOT NULL DEFAULT false,
        payment_order_id    text UNIQUE,
        bank_account_id     text,
        payout_state        text,
        order_status        text,
        in_bank_at          timestamptz,
        expected_arrival_at timestamptz,
        bank_details        text,
        bank_masked         text,
        failure             text,
        UNIQUE (merchant_id, idempotency_key)
      );
      CREATE INDEX returns_by_reference ON returns (merchant_id, reference);
      CREATE INDEX returns_due ON returns (next_action_at) WHERE next_action_at IS NOT NULL;

      CREATE TABLE return_items (
        return_id   text NOT NULL REFERENCES returns (id) ON DELETE CASCADE,
        merchant_id text NOT NULL,
        ref         text NOT NULL,
        amount      bigint NOT NULL,
        PRIMARY KEY (return_id, ref)
      );
      CREATE INDEX return_items_merchant_ref ON return_items (merchant_id, ref);

      CREATE TABLE return_events (
        id         bigserial PRIMARY KEY,
        return_id  text NOT NULL REFERENCES returns (id) ON DELETE CASCADE,
        at         timestamptz NOT NULL,
        actor      text NOT NULL,
        ip         text,
        action     text NOT NULL,
        from_state text,
        to_state   text,
        detail     text,
        dedupe_key text,
        UNIQUE (return_id, dedupe_key)
      );
    `,
  },
  {
    version: 41,
    name: 'checkout facts for over-payments and payouts: due total per item, payer fingerprint, payment method',
    sqlite: `
      ALTER TABLE checkout_items ADD COLUMN due_total INTEGER;
      ALTER TABLE checkouts ADD COLUMN payer_hash TEXT;
      ALTER TABLE checkouts ADD COLUMN payment_method_type TEXT;
      ALTER TABLE checkouts ADD COLUMN overpayment_checked INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX checkouts_overpayment_unchecked ON checkouts (updated_at)
        WHERE status = 'approved' AND overpayment_checked = 0;
    `,
    postgres: `
      ALTER TABLE checkout_items ADD COLUMN due_total bigint;
      ALTER TABLE checkouts ADD COLUMN payer_hash text;
      ALTER TABLE checkouts ADD COLUMN payment_method_type text;
      ALTER TABLE checkouts ADD COLUMN overpayment_checked boolean NOT NULL DEFAULT false;
      CREATE INDEX checkouts_overpayment_unchecked ON checkouts (updated_at)
        WHERE status = 'approved' AND NOT overpayment_checked;
    `,
  },
  {
    version: 42,
    // docs/spec/money-back.md "Payer notices". SQLite cannot alter a CHECK: the table is rebuilt. Dropping it
    // cascades to collection_contacts (foreign keys are on), so their rows are kept aside and put back.
    name: 'notifications may be return notices (kind return)',
    sqlite: `
      CREATE TEMP TABLE collection_contacts_v42 AS SELECT * FROM collection_contacts;
      CREATE TABLE notifications_v42 (
        id              INTEGER PRIMARY KEY AUTOINCREMENT,
        merchant_id     TEXT NOT NULL,
        dedupe_key      TEXT NOT NULL,
        kind            TEXT NOT NULL CHECK (kind IN ('statement', 'charge', 'reminder', 'receipt', 'return')),
        channel         TEXT NOT NULL CHECK (channel IN ('email', 'whatsapp')),
        recipient       TEXT NOT NULL,
        payer_key       TEXT NOT NULL,
        charge_id       TEXT,
        content         TEXT NOT NULL,
        status          TEXT NOT NULL CHECK (status IN ('queued', 'held', 'sent', 'delivered', 'read', 'failed')),
        hold_reason     TEXT,
        hold_detail     TEXT,
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        locked_until    INTEGER,
        provider_id     TEXT,
        last_error      TEXT,
        created_at      INTEGER NOT NULL,
        updated_at      INTEGER NOT NULL,
        sent_at         INTEGER,
        UNIQUE (merchant_id, dedupe_key)
      ) STRICT;
      INSERT INTO notifications_v42 SELECT * FROM notifications;
      DROP TABLE notifications;
      ALTER TABLE notifications_v42 RENAME TO notifications;
      CREATE INDEX notifications_due ON notifications (next_attempt_at, id) WHERE status IN ('queued', 'held');
      CREATE INDEX notifications_charge ON notifications (merchant_id, charge_id, id);
      CREATE INDEX notifications_provider ON notifications (provider_id) WHERE provider_id IS NOT NULL;
      INSERT INTO collection_contacts SELECT * FROM collection_contacts_v42;
      DROP TABLE collection_contacts_v42;
    `,
    postgres: `
      ALTER TABLE notifications DROP CONSTRAINT IF EXISTS notifications_kind_check;
      ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
        CHECK (kind IN ('statement', 'charge', 'reminder', 'receipt', 'return'));
    `,
  },
];

export const SCHEMA_MIGRATIONS_SQL = {
  sqlite: `CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  ) STRICT`,
  postgres: `CREATE TABLE IF NOT EXISTS schema_migrations (
    version    integer PRIMARY KEY,
    name       text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`,
} as const;

/**
 * The migrations a database holding `applied` still needs, in version order. Versions the database knows
 * and this build does not are left alone: during a rolling deploy an older instance may start against a
 * schema a newer one has already extended, and migrations are written to stay compatible one step back.
 */
export function pendingMigrations(
  applied: ReadonlySet<number>,
  migrations: readonly Migration[] = MIGRATIONS,
): Migration[] {
  return [...migrations].sort((a, b) => a.version - b.version).filter((m) => !applied.has(m.version));
}
