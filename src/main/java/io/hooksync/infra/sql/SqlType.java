package io.hooksync.infra.sql;

/** The value types Hooksync stores; each dialect names its own column type for each. */
public enum SqlType {
    TEXT, INTEGER, BIGINT, NUMERIC, DOUBLE, BOOLEAN, TIMESTAMPTZ, DATE, JSON
}
