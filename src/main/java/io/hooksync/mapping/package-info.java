/**
 * Mappings: YAML files under {@code mappings/} that turn one event payload into rows of a target
 * table with JSONata expressions. Loaded and validated once at startup (every error names file and
 * line); compiled per user so evaluation needs no locking.
 */
package io.hooksync.mapping;
