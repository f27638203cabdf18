/** Embedded real infrastructure: PostgreSQL and a KRaft Kafka broker. */
package org.cjassessment.embedded;
