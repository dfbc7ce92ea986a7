/**
 * The browser dashboard at {@code /}: static HTML, CSS and one vanilla-JS file (no build step), plus
 * the few read-only API calls only the dashboard needs (analytics, routes overview, who am I). Every
 * other screen calls the features' own APIs ({@code /api/events}, {@code /api/dead-letters},
 * {@code /api/endpoints}). Reads other features' tables by SQL and Camel's managed routes; imports no
 * feature class.
 */
package io.hooksync.dashboard;
