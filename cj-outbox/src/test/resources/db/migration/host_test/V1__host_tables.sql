-- a stand-in for the host service's own migrations (default Flyway history table)
CREATE TABLE batches (id bigserial PRIMARY KEY, state text NOT NULL);
