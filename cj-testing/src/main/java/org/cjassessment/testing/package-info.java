/** Shared JUnit 5 fixtures: one embedded PostgreSQL and one Kafka broker per test JVM. */
package org.cjassessment.testing;
