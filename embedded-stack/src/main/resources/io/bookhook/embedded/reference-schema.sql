-- The reference schema: the tables a Django booking app ("appointments" app) writes.
-- bookhook never writes to them; the demo and the tests play the booking app.
CREATE TABLE IF NOT EXISTS appointments_salon (
    id       bigserial PRIMARY KEY,
    name     varchar(200) NOT NULL,
    address  text         NOT NULL DEFAULT '',
    phone    varchar(32)  NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS appointments_stylist (
    id       bigserial PRIMARY KEY,
    salon_id bigint       NOT NULL REFERENCES appointments_salon (id),
    name     varchar(200) NOT NULL,
    phone    varchar(32)  NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS appointments_service (
    id               bigserial PRIMARY KEY,
    salon_id         bigint        NOT NULL REFERENCES appointments_salon (id),
    name             varchar(200)  NOT NULL,
    duration_minutes integer       NOT NULL,
    price            numeric(10,2) NOT NULL
);
CREATE TABLE IF NOT EXISTS appointments_customer (
    id     bigserial PRIMARY KEY,
    name   varchar(200) NOT NULL,
    phone  varchar(32)  NOT NULL DEFAULT '',
    email  varchar(254) NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS appointments_appointment (
    id          bigserial PRIMARY KEY,
    customer_id bigint      NOT NULL REFERENCES appointments_customer (id),
    salon_id    bigint      NOT NULL REFERENCES appointments_salon (id),
    stylist_id  bigint      NULL     REFERENCES appointments_stylist (id),
    service_id  bigint      NOT NULL REFERENCES appointments_service (id),
    starts_at   timestamptz NOT NULL,
    ends_at     timestamptz NOT NULL,
    status      varchar(16) NOT NULL DEFAULT 'pending',
    notes       text        NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
